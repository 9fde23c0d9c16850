#!/bin/sh
# Disk image of the macOS app: Factmark.app and a link to /Applications to drag it onto.
#
#   python packaging/build.py            # makes dist/Factmark.app (on a Mac)
#   sh packaging/macos/make-dmg.sh [DIST]
#
# writes DIST/factmark-VERSION-macos-ARCH.dmg (DIST defaults to dist; ARCH is
# the build machine's, arm64 or x86_64). The app is not signed with a Developer
# ID nor notarized: see docs/installers.md for opening it on another Mac.
set -eu

dist=${1:-dist}
app="$dist/Factmark.app"
[ -d "$app" ] || { echo "make-dmg.sh: no $app; run python packaging/build.py first" >&2; exit 2; }

version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$app/Contents/Info.plist")
dmg="$dist/factmark-$version-macos-$(uname -m).dmg"

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
ditto "$app" "$staging/Factmark.app"  # keeps symlinks, extended attributes and signatures
ln -s /Applications "$staging/Applications"

# hdiutil now and then fails with "Resource busy" on CI machines; try again.
for attempt in 1 2 3; do
    if hdiutil create -volname "Factmark $version" -srcfolder "$staging" -fs HFS+ \
        -format UDZO -ov "$dmg"; then
        echo "$dmg"
        exit 0
    fi
    echo "make-dmg.sh: hdiutil failed (attempt $attempt); retrying" >&2
    sleep 5
done
exit 1
