# The service this one replaces, rebuilt from its description so the benchmark suite can run it
# side by side: FastAPI, one route, Pillow decodes, numpy counts. Kept as it was, costs included
# (whole upload read into memory, grayscale only, bins over the data's min..max).
import io

import numpy as np
from fastapi import FastAPI, File, UploadFile
from PIL import Image

app = FastAPI()


@app.post("/process-image")
async def process_image(file: UploadFile = File(...)):
    img = Image.open(io.BytesIO(await file.read()))
    gray = np.asarray(img.convert('L'))
    counts, _ = np.histogram(gray, bins=256)
    return {"histogram": counts.tolist()}
