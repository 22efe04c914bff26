#!/bin/sh
# Compiles the .po test catalogs with GNU gettext's msgfmt (Debian package gettext).
set -e
cd "$(dirname "$0")"
msgfmt --endianness=little -o sample.de.mo sample.de.po
msgfmt --endianness=big -o sample.de.be.mo sample.de.po
msgfmt -o sample.latin1.mo sample.latin1.po
msgfmt -o sample.armscii8.mo sample.armscii8.po
