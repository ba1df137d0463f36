# Sourced by scripts/check: make sure the machine can print plans and read them back.
# WeasyPrint (the extra "print") needs Pango and HarfBuzz's subsetter; the printed plan
# uses the Noto fonts (Latin, Cyrillic, Arabic script); the tests read PDFs with poppler's
# pdftotext, pdfinfo, pdffonts and pdftoppm. Without them the printing tests skip locally
# and fail in CI, so where we may (root with apt-get), we install Debian's packages.
printing_packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core poppler-utils"
ensure_printing() {
    local missing=()
    for package in $printing_packages; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if [ "${#missing[@]}" = 0 ]; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing ${missing[*]} (apt-get) for printing plans and reading them back"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
    else
        echo "missing ${missing[*]}, and no way to install them here (needs root and apt-get):"
        echo "the printing tests will skip (in CI they fail)."
    fi
}
