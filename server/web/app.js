// histogram-service web page: posts each chosen image to v1/histogram and shows its chart
// (drawn here with the chart.js the server uses), per-channel statistics and downloads.
// Plain browser ES module, no build step; every URL is relative so an Ingress prefix works.

const CHANNELS = ['red', 'green', 'blue', 'alpha', 'luma'];
const COLOURS = { red: '#d62728', green: '#2ca02c', blue: '#1f77b4', alpha: '#8c8c8c', luma: '#222222' };
const STATS = [
  ['mean', 2],
  ['median', 0],
  ['stdev', 2],
  ['min', 0],
  ['max', 0],
  ['p01', 0],
  ['p99', 0],
  ['entropy', 3],
];
const TOKEN_KEY = 'histogram-service.token';

const $ = (selector, root = document) => root.querySelector(selector);
const form = $('#controls');
const fileInput = $('#file');
const dropzone = $('#dropzone');
const results = $('#results');
const pageError = $('#page-error');
const token = $('#token');

/** One uploaded image: its file, card elements, latest result and chart. */
const entries = new Set();

token.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
token.addEventListener('input', () => sessionStorage.setItem(TOKEN_KEY, token.value.trim()));

/** Current control values. */
function options() {
  const depth = Number($('#depth').value) === 16 ? 16 : 8;
  const maxBins = depth === 16 ? 65536 : 256;
  const bins = Math.round(Number($('#bins').value));
  return {
    bins: Number.isFinite(bins) ? Math.min(maxBins, Math.max(1, bins)) : 256,
    depth,
    range: form.querySelector('input[name=range]:checked').value,
    mask: $('#mask').checked,
    channels: [...form.querySelectorAll('input[name=channel]:checked')].map((input) => input.value),
    scale: $('#log').checked ? 'log' : 'linear',
    type: form.querySelector('input[name=type]:checked').value,
  };
}

/**
 * The query parameters that change the counting (bins, depth, range, mask), the defaults left
 * out: the server checks the values and its message shows in the card when one is wrong.
 */
function countParams() {
  const { bins, depth, range, mask } = options();
  const params = { bins };
  if (depth !== 8) params.depth = depth;
  if (range === 'data') params.range = 'data';
  if (range === 'explicit') params.range = `${$('#range-lo').value.trim()},${$('#range-hi').value.trim()}`;
  if (mask) params.mask = 'alpha';
  return params;
}

/** POSTs the file's raw bytes; the server identifies the format from the bytes themselves. */
function post(file, params) {
  const headers = {
    'Content-Type': file.type.startsWith('image/') ? file.type : 'application/octet-stream',
  };
  if (token.value.trim()) headers.Authorization = `Bearer ${token.value.trim()}`;
  return fetch(`v1/histogram?${new URLSearchParams(params)}`, { method: 'POST', headers, body: file });
}

/** A failed response as an Error: the server's message, with status, code and request id as detail. */
async function responseError(response) {
  const text = await response.text();
  let message = `The server answered ${response.status} ${response.statusText}`.trim();
  let detail = '';
  try {
    const { error } = JSON.parse(text);
    message = error.message;
    detail = `${response.status} ${error.code} · request ${error.requestId}`;
  } catch {
    // not the service's JSON (e.g. a proxy's HTML page): the status line is all we have
  }
  const retryAfter = response.headers.get('Retry-After');
  if (retryAfter) detail += ` · retry after ${retryAfter} s`;
  return Object.assign(new Error(message), { status: response.status, detail });
}

/** Shows an error in a card's alert region: the message, then its detail in small print. */
function showError(element, error, prefix = '') {
  const message = document.createElement('span');
  message.textContent = prefix + (error instanceof TypeError ? `Could not reach the server (${error.message}).` : error.message);
  const detail = document.createElement('small');
  detail.textContent = error.detail ?? '';
  element.replaceChildren(message, detail);
}

function addFiles(files) {
  pageError.textContent = '';
  const added = [...files].map(createEntry);
  if (added.length === 0) pageError.textContent = 'No files were chosen.';
  analyseInTurn(added);
}

/** Sequential on purpose: a batch of images should not fill the server's queue on its own. */
async function analyseInTurn(list) {
  for (const entry of list) if (entries.has(entry)) await analyse(entry);
}

function createEntry(file) {
  const card = $('#card-template').content.firstElementChild.cloneNode(true);
  const entry = { file, card, result: null, jsonText: '', chart: null, generation: 0 };
  entry.thumbUrl = URL.createObjectURL(file);
  $('.card-title', card).textContent = file.name || 'pasted image';
  const thumb = $('.thumb', card);
  thumb.alt = `Thumbnail of ${file.name}`;
  thumb.src = entry.thumbUrl;
  thumb.addEventListener('error', () => thumb.remove(), { once: true });
  $('.remove', card).setAttribute('aria-label', `Remove ${file.name}`);
  $('.remove', card).addEventListener('click', () => removeEntry(entry));
  $('.retry', card).addEventListener('click', () => analyse(entry));
  for (const button of card.querySelectorAll('.downloads button')) {
    button.addEventListener('click', () => download(entry, button.dataset.format));
  }
  entries.add(entry);
  results.prepend(card);
  return entry;
}

function removeEntry(entry) {
  entries.delete(entry);
  entry.chart?.destroy();
  URL.revokeObjectURL(entry.thumbUrl);
  entry.card.remove();
  fileInput.focus();
}

async function analyse(entry) {
  const generation = ++entry.generation;
  const { card } = entry;
  card.dataset.state = 'loading';
  $('.status', card).textContent = 'Computing…';
  $('.error', card).textContent = '';
  $('.retry', card).hidden = true;
  const started = performance.now();
  try {
    const response = await post(entry.file, { ...countParams(), format: 'json' });
    const roundTrip = performance.now() - started;
    if (generation !== entry.generation) return; // a newer request for this card won
    if (!response.ok) throw await responseError(response);
    entry.jsonText = await response.text();
    entry.result = JSON.parse(entry.jsonText);
    entry.roundTrip = roundTrip;
    card.dataset.state = 'done';
    show(entry);
  } catch (error) {
    if (generation !== entry.generation) return;
    card.dataset.state = 'error';
    card.classList.remove('has-result');
    entry.result = null;
    entry.chart?.destroy();
    entry.chart = null;
    $('.status', card).textContent = '';
    // Worth retrying: network failures, a missing token, an overloaded or slow server.
    $('.retry', card).hidden = error.status !== undefined && ![401, 429, 502, 503, 504].includes(error.status);
    showError($('.error', card), error);
  }
}

/** Channels to display: those ticked that the image has, in the server's order. */
function shownChannels(result) {
  const ticked = options().channels;
  return CHANNELS.filter((name) => name in result.channels && ticked.includes(name));
}

function show(entry) {
  const { card, result } = entry;
  if (!result) return;
  const names = shownChannels(result);
  card.classList.add('has-result');
  const counted = result.counted !== undefined && result.counted !== result.pixels ? ` (${result.counted.toLocaleString('en')} counted)` : '';
  $('.status', card).textContent =
    `${result.width} × ${result.height} ${result.format}, ${result.pixels.toLocaleString('en')} pixels${counted} · ` +
    `served by ${result.servedBy} in ${result.timingsMs.total.toFixed(1)} ms ` +
    `(${Math.round(entry.roundTrip)} ms round trip)`;
  const rows = names.map((name) => {
    const row = document.createElement('tr');
    row.dataset.channel = name;
    const head = document.createElement('th');
    head.scope = 'row';
    head.innerHTML = `<span class="swatch" style="background:${COLOURS[name]}"></span>`;
    head.append(name);
    row.append(head);
    for (const [stat, digits] of STATS) {
      const cell = document.createElement('td');
      cell.dataset.stat = stat;
      cell.textContent = result.channels[name][stat].toFixed(digits);
      row.append(cell);
    }
    return row;
  });
  $('.summary tbody', card).replaceChildren(...rows);
  drawChart(entry, names);
}

/**
 * Where each bin of a channel is drawn and what it spans, as the server's own chart draws it.
 * Range full: bins over the depth's whole values (0..255, or 0..65535), the point at the centre
 * of the whole values a bin holds (the value itself with one value per bin). Range data or
 * LO,HI: bins between the channel's `binRange` edges, the point at the middle of each bin.
 */
function binGeometry(result, channel) {
  const bins = result.bins;
  const scale = 2 ** (result.depth ?? 8);
  const [lo, hi] = channel.binRange ?? [0, scale];
  const width = (hi - lo) / bins;
  if ((result.range ?? 'full') === 'full') {
    const first = (i) => Math.ceil(i * width);
    return {
      lo: 0,
      hi: scale - 1,
      x: (i) => (bins === scale ? i : i * width + (width - 1) / 2),
      label: (i) => (first(i + 1) - 1 > first(i) ? `${first(i)}–${first(i + 1) - 1}` : `${first(i)}`),
    };
  }
  const edge = (value) => String(Number(value.toPrecision(6)));
  return { lo, hi, x: (i) => lo + (i + 0.5) * width, label: (i) => `${edge(lo + i * width)}–${edge(lo + (i + 1) * width)}` };
}

function drawChart(entry, names) {
  const { result } = entry;
  const { scale, type } = options();
  const geometry = Object.fromEntries(names.map((name) => [name, binGeometry(result, result.channels[name])]));
  const xMin = Math.min(...names.map((name) => geometry[name].lo));
  const xMax = Math.max(...names.map((name) => geometry[name].hi));
  const canvas = $('canvas', entry.card);
  canvas.setAttribute('aria-label', `Histogram of ${names.join(', ')} for ${entry.file.name}, ${result.bins} bins`);
  entry.chart?.destroy();
  entry.chart = new window.Chart(canvas, {
    type,
    data: {
      datasets: names.map((name) => ({
        label: name,
        // x at the bin's centre, so a bar covers its bin; log scales cannot draw 0
        data: result.channels[name].counts.map((y, i) => ({ x: geometry[name].x(i), y: scale === 'log' && y === 0 ? null : y })),
        borderColor: COLOURS[name],
        backgroundColor: `${COLOURS[name]}55`,
        borderWidth: type === 'line' ? 1.5 : 0,
        pointRadius: 0,
        barPercentage: 1,
        categoryPercentage: 1,
        grouped: false,
      })),
    },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        legend: { labels: { boxWidth: 12 } },
        tooltip: {
          callbacks: { title: ([item]) => (item ? `value ${geometry[names[item.datasetIndex]]?.label(item.dataIndex) ?? ''}` : '') },
        },
      },
      scales: {
        x: {
          type: 'linear',
          min: xMin,
          max: xMax,
          offset: false,
          title: { display: true, text: 'pixel value' },
          // whole-scale axes tick at eighths of the scale (every 32 at 8-bit) and at the last value
          afterBuildTicks: (axis) => {
            const full = (result.range ?? 'full') === 'full';
            const step = (full ? xMax + 1 : xMax - xMin) / 8;
            axis.ticks = Array.from({ length: 9 }, (_, k) => ({ value: k === 8 ? xMax : xMin + k * step }));
          },
        },
        y: {
          type: scale === 'log' ? 'logarithmic' : 'linear',
          beginAtZero: scale !== 'log',
          // on a log axis label the powers of ten only: chart.js's 2×, 3×, 5× labels crowd the top
          ticks: scale === 'log' ? { callback: (value) => (/^10*$/.test(String(value)) ? value.toLocaleString('en') : '') } : {},
          title: { display: true, text: scale === 'log' ? 'pixels (log)' : 'pixels' },
        },
      },
    },
  });
}

/** Downloads: JSON is the response already held; PNG and CSV are re-posts with the controls. */
async function download(entry, format) {
  const error = $('.error', entry.card);
  error.textContent = '';
  const base = (entry.file.name || 'image').replace(/\.[^.]*$/, '');
  let blob;
  if (format === 'json' && entry.result) {
    blob = new Blob([entry.jsonText], { type: 'application/json' });
  } else {
    const { scale, type } = options();
    const params = { format, ...countParams(), scale, type };
    const names = entry.result ? shownChannels(entry.result) : [];
    if (names.length > 0) params.channels = names.join(',');
    try {
      const response = await post(entry.file, params);
      if (!response.ok) throw await responseError(response);
      blob = await response.blob();
    } catch (failure) {
      showError(error, failure, `${format.toUpperCase()} download failed: `);
      return;
    }
  }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `${base}-histogram.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

fileInput.addEventListener('change', () => {
  addFiles(fileInput.files);
  fileInput.value = ''; // so choosing the same file again still fires change
});

// The whole label is the drop target; stop the browser opening files dropped beside it.
for (const name of ['dragover', 'drop']) window.addEventListener(name, (event) => event.preventDefault());
dropzone.addEventListener('dragenter', () => dropzone.classList.add('dragging'));
dropzone.addEventListener('dragleave', (event) => {
  if (!dropzone.contains(event.relatedTarget)) dropzone.classList.remove('dragging');
});
dropzone.addEventListener('drop', (event) => {
  dropzone.classList.remove('dragging');
  if (event.dataTransfer?.files.length) addFiles(event.dataTransfer.files);
});

// Bins, depth, range and mask change the counting: ask the server again. Channels, scale and
// type only redraw.
const COUNTING = new Set(['bins', 'depth', 'range', 'range-lo', 'range-hi', 'mask']);
$('#depth').addEventListener('change', () => {
  $('#bins').max = options().depth === 16 ? '65536' : '256';
});
for (const id of ['range-lo', 'range-hi']) {
  // typing a bound chooses the explicit range
  $(`#${id}`).addEventListener('input', () => {
    form.querySelector('input[name=range][value=explicit]').checked = true;
  });
}
form.addEventListener('change', (event) => {
  if (event.target.id === 'token') return;
  if (COUNTING.has(event.target.name) || COUNTING.has(event.target.id)) {
    analyseInTurn([...entries].reverse());
    return;
  }
  for (const entry of entries) show(entry);
});
form.addEventListener('submit', (event) => event.preventDefault());
