# Uploads one file N times at once with Python's urllib, the way many scripts do: urllib sends
# `Connection: close` and writes the whole body before it reads the answer. Prints one JSON
# line per upload: {"status": 200|503|..., "retryAfter": "1"|null, "code": ...} or
# {"error": "<what the client saw>"} when no answer could be read (a reset, a broken pipe).
# Usage: python3 urllib-uploads.py URL FILE COUNT [CONTENT_TYPE]
import json
import sys
import threading
import urllib.error
import urllib.request

url, path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
content_type = sys.argv[4] if len(sys.argv) > 4 else "application/octet-stream"
with open(path, "rb") as f:
    body = f.read()
results = [None] * count
start = threading.Barrier(count)


def upload(i):
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    start.wait()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            results[i] = {"status": response.status, "retryAfter": response.headers.get("Retry-After")}
    except urllib.error.HTTPError as error:
        payload = error.read()
        try:
            code = json.loads(payload)["error"]["code"]
        except Exception:
            code = None
        results[i] = {"status": error.code, "retryAfter": error.headers.get("Retry-After"), "code": code}
    except Exception as error:  # a reset or broken pipe: no answer was readable
        results[i] = {"error": f"{type(error).__name__}: {error}"}


threads = [threading.Thread(target=upload, args=(i,)) for i in range(count)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
for result in results:
    print(json.dumps(result))
