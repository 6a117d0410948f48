# Serves app.py with uvicorn, one worker (one process), as the old service ran, on a socket
# bound here so the port can be 0: prints {"msg":"listening","port":N,...} once bound, the line
# the benchmark suite waits for. Usage: python3 serve.py [HOST] [PORT]
import importlib.util
import json
import socket
import sys

import fastapi
import numpy
import PIL
import uvicorn

from app import app


def available(module):
    return importlib.util.find_spec(module) is not None


def main():
    host = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    # proto IPPROTO_TCP as getaddrinfo gives it when uvicorn binds --host/--port itself: asyncio
    # disables Nagle only on sockets whose proto says TCP (base_events._set_nodelay), and with
    # Nagle on, the body written after the headers waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    # uvicorn's defaults otherwise: loop and http "auto" pick uvloop and httptools when they
    # are installed, else asyncio and h11; access log on.
    config = uvicorn.Config(app, workers=1, log_level="info")
    print(json.dumps({
        "msg": "listening",
        "port": sock.getsockname()[1],
        "python": sys.version.split()[0],
        "fastapi": fastapi.__version__,
        "uvicorn": uvicorn.__version__,
        "pillow": PIL.__version__,
        "numpy": numpy.__version__,
        "loop": "uvloop" if available("uvloop") else "asyncio",
        "http": "httptools" if available("httptools") else "h11",
    }), flush=True)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
