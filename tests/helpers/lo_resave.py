"""Open a workbook in LibreOffice Calc *with a window* (as a person would) and save it again.

`soffice --convert-to` loads documents without a view, so view settings such as frozen panes are dropped
(unoconv/unoconv#245). This script starts soffice with a display (run it under `xvfb-run`), loads the
file through UNO into a visible frame and stores it, so what survives is what survives a real
open-and-save. Run with the system Python that has LibreOffice's UNO bridge (Debian: python3-uno):

    xvfb-run -a /usr/bin/python3 lo_resave.py SOFFICE SRC DST FILTER PROFILE_URL
"""
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(soffice, src, dst, filter_name, profile):
    pipe = "wbe" + uuid.uuid4().hex
    office = subprocess.Popen([soffice, f"-env:UserInstallation={profile}", "--norestore", "--nologo",
                               "--nodefault", f"--accept=pipe,name={pipe};urp;"])
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(600):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.1)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", False),))
        doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", filter_name),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
        office.wait(timeout=60)
    finally:
        if office.poll() is None:
            office.kill()


if __name__ == "__main__":
    main(*sys.argv[1:6])
