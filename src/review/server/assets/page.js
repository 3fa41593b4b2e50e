// The review page. Everything it shows comes from the JSON API under /api/ and is put in the
// page with textContent or as attribute values, never parsed as markup: a value holding
// "<img onerror=...>" is shown as those characters. Decisions are sent in order, one at a time;
// the next field is shown at once and a refused decision brings its field back.
'use strict';

const VI = {
  modes: { review: 'Soát trường', keying: 'Nhập liệu', arbitration: 'Phân xử', entries: 'Soát mục', duplicates: 'Trùng lặp' },
  groups: { names: 'Họ tên', dates: 'Ngày tháng', places: 'Nơi chốn', numbers: 'Số', codes: 'Mã', other: 'Khác' },
  status: { review: 'cần xem', reviewed: 'đã duyệt', auto: 'tự động', rejected: 'bị loại' },
  roles: { reviewer: 'người duyệt', keyer: 'người nhập liệu', arbiter: 'người phân xử', clerk: 'người xét trùng' },
  kinds: {
    confirm: 'Xác nhận', correct: 'Sửa', illegible: 'Không đọc được', keyed: 'Nhập', acknowledge: 'Chấp nhận lỗi',
    confirm_entry: 'Xác nhận mục', reject_entry: 'Loại mục', undo: 'Hoàn tác', same: 'Cùng một người', distinct: 'Khác người',
    accepted: 'Nghiệm thu đúng', rejected: 'Nghiệm thu sai',
  },
};

const S = {
  summary: null,
  mode: null,
  filters: { book: '', status: '', finding: '', field: '', group: '' },
  pass: null,
  items: [],
  total: 0,
  index: 0,
  shownAt: 0,
  undo: [],
  chain: Promise.resolve(),
  view: 'queue',
  entry: null,
  entrySel: 0,
  entryShownAt: 0,
  zoom: 1,
  pair: null,
  pairItem: null,
};

const $ = (id) => document.getElementById(id);

// An element with text children only; props set as properties (text), listeners or attributes.
function el(tag, props, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, String(v));
  }
  for (const c of kids) {
    if (c === null || c === undefined || c === false) continue;
    e.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
function kbd(key) { return el('kbd', { text: key }); }
const enc = encodeURIComponent;

class ApiFailure extends Error {
  constructor(status, body) {
    super((body && (body.message_vi || body.message_en)) || ('HTTP ' + status));
    this.status = status;
    this.body = body || {};
  }
}

async function api(method, path, body) {
  const opt = { method, headers: {} };
  if (body !== undefined) {
    opt.headers['Content-Type'] = 'application/json';
    opt.body = JSON.stringify(body);
  }
  let r;
  try {
    r = await fetch(path, opt);
  } catch (e) {
    throw new ApiFailure(0, { message_vi: 'Không kết nối được máy chủ duyệt (đã tắt?)', message_en: String(e) });
  }
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) throw new ApiFailure(r.status, data);
  return data;
}

function banner(text, kind) {
  const b = $('banner');
  if (!text) { b.hidden = true; return; }
  b.textContent = text;
  b.className = kind || '';
  b.hidden = false;
}

function failureText(e) {
  const b = e.body || {};
  let t = b.message_vi || e.message;
  if (b.message_en && b.message_en !== t) t += '\n(' + b.message_en + ')';
  return t;
}

// ---------------------------------------------------------------- summary, modes, filters

async function loadSummary() {
  S.summary = await api('GET', '/api/summary');
  const s = S.summary;
  const who = s.reviewer + ' · ' + (VI.roles[s.role] || s.role) + (s.double ? ' · nhập hai lần' : '') +
    (s.pass ? ' · lượt ' + s.pass : '');
  $('who').textContent = who;
  if (!S.mode || !s.modes.includes(S.mode)) S.mode = s.modes[0];
  if (s.pass) S.pass = s.pass;
  renderModes();
  renderLeft();
  fillSelect($('f-book'), [['', 'Tất cả sổ']].concat(s.books.map((b) => [b.book_id, b.book_id + ' (' + b.register + ' ' + b.volume + ')'])), S.filters.book);
  fillSelect($('f-status'), [['', 'Mọi trạng thái']].concat(Object.keys(s.counts.by_status).map((k) => [k, VI.status[k] || k])), S.filters.status);
  const needPass = s.double && s.role === 'keyer' && !s.pass;
  $('pass-choice').hidden = !needPass;
}

function modeCount(m) {
  const c = S.summary.counts;
  switch (m) {
    case 'review': return c.fields_to_review;
    case 'keying': return S.summary.double ? c.fields_to_review + c.fields_to_key : c.fields_to_key;
    case 'entries': return c.entries_to_check - (c.by_finding['DEDUP-POSSIBLE'] || 0);
    case 'duplicates': return c.by_finding['DEDUP-POSSIBLE'] || 0;
    case 'arbitration': return c.by_finding['KEYING-DISAGREE'] || 0;
    default: return null;
  }
}

function renderModes() {
  const nav = $('modes');
  clear(nav);
  for (const m of S.summary.modes) {
    const n = modeCount(m);
    nav.append(el('button', {
      type: 'button', role: 'tab', 'aria-selected': m === S.mode ? 'true' : 'false', dataset: { mode: m },
      onclick: () => { S.mode = m; S.filters.group = ''; renderModes(); showView('queue'); loadQueue(); },
    }, VI.modes[m] || m, n === null ? null : el('span', { class: 'n', text: String(Math.max(0, n)) })));
  }
}

function renderLeft(left) {
  const c = S.summary.counts;
  const node = $('left');
  clear(node);
  const review = left ? left.fields_to_review : c.fields_to_review;
  const key = left ? left.fields_to_key : c.fields_to_key;
  const entries = left ? left.entries_to_check : c.entries_to_check;
  node.append('Còn lại: ', el('b', { text: String(review) }), ' trường cần soát · ',
    el('b', { text: String(key) }), ' trường cần nhập · ', el('b', { text: String(entries) }), ' mục');
  const book = S.filters.book ? c.by_book[S.filters.book] : null;
  const books = book ? [book] : Object.values(c.by_book);
  const done = books.reduce((a, b) => a + b.settled, 0);
  const all = books.reduce((a, b) => a + b.entries, 0);
  node.append(' · ', el('b', { text: done + '/' + all }), ' mục xong');
  if (c.conflicts) node.append(' · ', el('b', { text: String(c.conflicts) }), ' xung đột');
}

function fillSelect(select, options, selected) {
  clear(select);
  let found = false;
  for (const [value, label] of options) {
    const o = el('option', { value, text: label });
    if (value === selected) { o.selected = true; found = true; }
    select.append(o);
  }
  if (!found && selected) {
    const o = el('option', { value: selected, text: selected });
    o.selected = true;
    select.append(o);
  }
}

function renderQueueFilters(data) {
  fillSelect($('f-finding'), [['', 'Mọi lỗi']].concat(Object.entries(data.findings).map(([k, n]) => [k, k + ' (' + n + ')'])), S.filters.finding);
  fillSelect($('f-field'), [['', 'Mọi trường']].concat(Object.entries(data.fields || {}).map(([k, f]) => [k, f.label + ' (' + f.count + ')'])), S.filters.field);
  const g = $('groups');
  clear(g);
  const fieldModes = ['review', 'keying', 'arbitration'];
  if (!fieldModes.includes(S.mode)) return;
  const all = Object.values(data.groups).reduce((a, b) => a + b, 0);
  const tab = (key, label, n) => el('button', {
    type: 'button', role: 'tab', 'aria-selected': S.filters.group === key ? 'true' : 'false', dataset: { group: key },
    onclick: () => { S.filters.group = key; loadQueue(); },
  }, label + ' ' + n);
  g.append(tab('', 'Tất cả', all));
  for (const key of Object.keys(VI.groups)) {
    if (data.groups[key]) g.append(tab(key, VI.groups[key], data.groups[key]));
  }
}

for (const [id, key] of [['f-book', 'book'], ['f-status', 'status'], ['f-finding', 'finding'], ['f-field', 'field']]) {
  $(id).addEventListener('change', (ev) => {
    S.filters[key] = ev.target.value;
    renderLeft();
    loadQueue();
  });
}
$('f-pass').addEventListener('change', (ev) => {
  S.pass = ev.target.value ? Number(ev.target.value) : null;
  loadQueue();
});

// ---------------------------------------------------------------- the queue

async function loadQueue(keepId) {
  if (S.mode === 'keying' && S.summary.double && !S.pass) {
    S.items = [];
    S.total = 0;
    showItem('Chọn lượt nhập (1 hoặc 2) ở trên để bắt đầu.');
    return;
  }
  const q = new URLSearchParams({ mode: S.mode, limit: '200' });
  for (const [k, v] of Object.entries(S.filters)) if (v) q.set(k, v);
  if (S.mode === 'keying' && S.summary.double) q.set('pass', String(S.pass));
  let data;
  try {
    data = await api('GET', '/api/queue?' + q.toString());
  } catch (e) {
    banner(failureText(e));
    return;
  }
  S.items = data.items;
  S.total = data.total;
  S.queueData = data;
  S.index = 0;
  if (keepId) {
    const at = S.items.findIndex((i) => i.id === keepId);
    if (at >= 0) S.index = at;
  }
  renderQueueFilters(data);
  showItem();
}

function placeText(i) {
  return 'Sổ ' + i.book_id + ' · trang ' + i.page + ' · mục ' + i.entry;
}

function cropUrl(i, crop, maxW) {
  const q = new URLSearchParams({ x: crop.x, y: crop.y, w: crop.w, h: crop.h, max_w: String(maxW || 900) });
  return '/api/pages/' + enc(i.book_id) + '/' + i.page + '/crop?' + q.toString();
}

function showCrop(item) {
  const box = $('c-crop');
  const img = $('c-img');
  const mark = $('c-mark');
  mark.hidden = true;
  if (!item.crop) {
    img.removeAttribute('src');
    img.hidden = true;
    box.classList.add('none');
    box.dataset.note = 'Không có vị trí trên ảnh';
    return;
  }
  box.classList.remove('none');
  img.hidden = false;
  img.src = cropUrl(item, item.crop);
  const c = item.crop;
  if (c.mark) {
    mark.style.left = ((c.mark.x - c.x) / c.w * 100) + '%';
    mark.style.top = ((c.mark.y - c.y) / c.h * 100) + '%';
    mark.style.width = (c.mark.w / c.w * 100) + '%';
    mark.style.height = (c.mark.h / c.h * 100) + '%';
    mark.hidden = false;
  }
}

function prefetch() {
  for (let k = 1; k <= 3; k++) {
    const i = S.items[S.index + k];
    if (i && i.crop) { const im = new Image(); im.src = cropUrl(i, i.crop); }
  }
}

function findingList(node, findings, item, withAcknowledge) {
  clear(node);
  for (const f of findings || []) {
    const li = el('li', { class: f.severity, title: f.message_en }, el('span', { class: 'code', text: f.code }), f.message_vi);
    if (withAcknowledge && f.severity === 'error') {
      li.append(el('button', {
        type: 'button', text: 'Chấp nhận như sổ ghi',
        onclick: () => acknowledge(item, f),
      }));
    }
    node.append(li);
  }
}

function valueRow(dl, label, value, cls) {
  dl.append(el('dt', { text: label }));
  const empty = value === '' || value === null || value === undefined;
  dl.append(el('dd', { class: (cls || '') + (empty ? ' empty' : ''), text: empty ? '(trống)' : value }));
}

const KEY_HINTS = {
  review: [['Enter', 'xác nhận (ô trống) / lưu giá trị đã gõ'], ['F2', 'không đọc được'], ['F4', 'hoàn tác'], ['PgDn/PgUp', 'bỏ qua / quay lại'], ['F9', 'xem cả mục']],
  keying: [['Enter', 'lưu giá trị đã gõ'], ['F2', 'không đọc được'], ['F4', 'hoàn tác'], ['PgDn/PgUp', 'bỏ qua / quay lại']],
  arbitration: [['F5/F6', 'chọn giá trị của người nhập 1/2'], ['Enter', 'giữ giá trị máy đọc / lưu giá trị đã gõ'], ['F2', 'không đọc được'], ['F4', 'hoàn tác'], ['F9', 'xem cả mục']],
  entries: [['Enter', 'đã xem, mục đúng'], ['F8', 'loại mục (gõ lý do trước)'], ['F4', 'hoàn tác'], ['PgDn/PgUp', 'bỏ qua / quay lại'], ['F9', 'xem cả mục']],
  duplicates: [['Enter', 'mở cặp'], ['PgDn/PgUp', 'bỏ qua / quay lại']],
  entry: [['↑/↓', 'chọn trường'], ['Enter', 'xác nhận / lưu giá trị đã gõ'], ['F2', 'không đọc được'], ['F4', 'hoàn tác'], ['F6/F7', 'thu nhỏ / phóng to'], ['Esc', 'về hàng đợi']],
  pair: [['S', 'cùng một người'], ['D', 'khác người'], ['N', 'cặp tiếp theo'], ['Esc', 'về hàng đợi']],
};

function renderKeys(which) {
  const f = $('keys');
  clear(f);
  for (const [k, what] of KEY_HINTS[which] || []) f.append(el('span', {}, kbd(k), ' ' + what));
}

function actionButton(key, label, fn) {
  return el('button', { type: 'button', onclick: fn }, kbd(key), label);
}

function showItem(note) {
  const item = S.items[S.index];
  const card = $('card');
  const empty = $('empty');
  renderKeys(S.mode);
  if (!item) {
    card.hidden = true;
    empty.hidden = false;
    empty.textContent = note || (S.total > 0 ? 'Đang tải thêm…' : 'Không còn gì để làm ở đây. Cảm ơn!');
    if (!note && S.total > 0) S.chain.then(() => loadQueue());
    return;
  }
  empty.hidden = true;
  card.hidden = false;
  card.dataset.id = item.id;
  card.dataset.kind = item.field !== undefined ? 'field' : 'entry';
  $('c-group').textContent = item.group ? (VI.groups[item.group] || item.group) : (S.mode === 'duplicates' ? 'Trùng lặp' : 'Cả mục');
  $('c-place').textContent = placeText(item);
  const st = $('c-status');
  st.textContent = VI.status[item.status] || item.status;
  st.className = 'status ' + item.status;
  $('c-pos').textContent = (S.index + 1) + ' / ' + S.total;
  showCrop(item);
  const dl = $('c-values');
  clear(dl);
  const answer = $('answer');
  answer.value = item.retry || '';
  delete item.retry;
  setCheck($('c-check'), '', '');
  const cands = $('c-candidates');
  clear(cands);
  cands.hidden = true;
  const actions = $('c-actions');
  clear(actions);
  if (item.field !== undefined) {
    $('c-label').textContent = item.label;
    if (item.value !== undefined) {
      valueRow(dl, 'Máy đọc', item.value);
      if (item.value_read !== undefined && item.value_read !== item.value) valueRow(dl, 'Đọc từ ảnh', item.value_read, 'other');
      if (item.other_reading) valueRow(dl, 'Cách đọc khác', item.other_reading, 'other');
      if (item.confidence !== undefined) valueRow(dl, 'Độ tin cậy', item.confidence.toFixed(2), 'other');
    }
    if (item.candidates && item.candidates.length) {
      cands.hidden = false;
      item.candidates.forEach((c, n) => {
        const key = n === 0 ? 'F5' : 'F6';
        cands.append(el('button', { type: 'button', onclick: () => decideField('candidate', n) },
          kbd(key), c.value === '' ? '(không đọc được)' : c.value, el('span', { class: 'who', text: 'lượt ' + c.pass + ' · ' + c.who })));
      });
    }
    findingList($('c-findings'), item.findings, item, false);
    if (S.mode === 'keying') {
      answer.placeholder = 'Gõ giá trị như trên ảnh rồi nhấn Enter';
      actions.append(actionButton('Enter', 'Lưu', () => decideField('enter')), actionButton('F2', 'Không đọc được', () => decideField('illegible')));
    } else {
      answer.placeholder = 'Enter: xác nhận · gõ để sửa';
      actions.append(actionButton('Enter', 'Xác nhận / lưu', () => decideField('enter')), actionButton('F2', 'Không đọc được', () => decideField('illegible')));
    }
    actions.append(actionButton('F4', 'Hoàn tác', undoLast));
    if (S.summary.role !== 'keyer') actions.append(actionButton('F9', 'Xem cả mục', () => openEntry(item.book_id, item.page, item.entry, item.field)));
  } else {
    $('c-label').textContent = S.mode === 'duplicates'
      ? 'Có thể trùng với: ' + (item.others || []).join(', ')
      : 'Lỗi của cả mục';
    findingList($('c-findings'), item.findings, item, true);
    if (S.mode === 'duplicates') {
      answer.placeholder = 'Enter: mở cặp để so sánh';
      actions.append(actionButton('Enter', 'So sánh hai bản ghi', () => openPair(item)));
    } else {
      answer.placeholder = 'Gõ lý do rồi F8 để loại mục · Enter: mục đúng';
      actions.append(actionButton('Enter', 'Đã xem, mục đúng', () => decideEntry('confirm')),
        actionButton('F8', 'Loại mục', () => decideEntry('reject')),
        actionButton('F4', 'Hoàn tác', undoLast),
        actionButton('F9', 'Xem cả mục', () => openEntry(item.book_id, item.page, item.entry, '')));
    }
  }
  S.shownAt = Date.now();
  answer.focus();
  prefetch();
}

function setCheck(node, text, cls) {
  node.textContent = text;
  node.className = 'check' + (cls ? ' ' + cls : '');
}

// While a value is typed, the server normalises and checks it as a decision would.
let checkTimer = null;
function checkTyped(input, out, target, action) {
  clearTimeout(checkTimer);
  const typed = input.value;
  if (!typed.trim() || !target) { setCheck(out, '', ''); return; }
  checkTimer = setTimeout(async () => {
    try {
      const r = await api('POST', '/api/check', { book_id: target.book_id, page: target.page, entry: target.entry, field: target.field, action, value: typed });
      if (input.value === typed) setCheck(out, 'Sẽ lưu: ' + r.value, 'ok');
    } catch (e) {
      if (input.value === typed) setCheck(out, failureText(e), 'refused');
    }
  }, 180);
}

$('answer').addEventListener('input', () => {
  const item = S.items[S.index];
  if (!item || item.field === undefined) return;
  checkTyped($('answer'), $('c-check'), item, S.mode === 'keying' ? 'keyed' : 'correct');
});

function fieldRequest(item, kind, n) {
  const typed = $('answer').value;
  const base = { book_id: item.book_id, page: item.page, entry: item.entry, field: item.field, supersedes: item.latest, ms: Date.now() - S.shownAt };
  if (S.mode === 'keying') {
    const pass = S.summary.double ? S.pass : 0;
    if (kind === 'illegible') return [{ ...base, action: 'keyed', value: '', pass }, 'Không đọc được'];
    if (!typed.trim()) return [null, 'Gõ giá trị như trên ảnh, hoặc F2 nếu không đọc được.'];
    return [{ ...base, action: 'keyed', value: typed, pass }, 'Nhập "' + typed + '"'];
  }
  if (kind === 'candidate') {
    const c = (item.candidates || [])[n];
    if (!c) return [null, 'Không có giá trị này.'];
    if (c.value === '') return [{ ...base, action: 'illegible' }, 'Không đọc được (theo lượt ' + c.pass + ')'];
    return [{ ...base, action: 'correct', value: c.value }, 'Chọn "' + c.value + '" (lượt ' + c.pass + ')'];
  }
  if (kind === 'illegible') return [{ ...base, action: 'illegible' }, 'Không đọc được'];
  if (!typed.trim()) return [{ ...base, action: 'confirm' }, 'Xác nhận "' + (item.value || '') + '"'];
  return [{ ...base, action: 'correct', value: typed }, 'Sửa "' + (item.value || '') + '" → "' + typed + '"'];
}

function decideField(kind, n) {
  const item = S.items[S.index];
  if (!item || item.field === undefined) return;
  const [req, what] = fieldRequest(item, kind, n);
  if (!req) { setCheck($('c-check'), what, 'refused'); return; }
  submit(item, req, what + ' · ' + item.label);
}

function decideEntry(kind) {
  const item = S.items[S.index];
  if (!item || item.field !== undefined || S.mode === 'duplicates') return;
  const reason = $('answer').value.trim();
  const base = { book_id: item.book_id, page: item.page, entry: item.entry, field: '', supersedes: item.latest, ms: Date.now() - S.shownAt };
  if (kind === 'reject') {
    if (!reason) { setCheck($('c-check'), 'Gõ lý do loại mục vào ô rồi nhấn F8.', 'refused'); return; }
    submit(item, { ...base, action: 'reject_entry', reason }, 'Loại mục: ' + reason);
  } else {
    submit(item, { ...base, action: 'confirm_entry' }, 'Mục đúng như sổ ghi');
  }
}

// The decision goes out; the next item is shown at once. A refusal brings the item back.
function submit(item, req, what) {
  S.items.splice(S.index, 1);
  S.total = Math.max(0, S.total - 1);
  if (S.index >= S.items.length) S.index = Math.max(0, S.items.length - 1);
  countDone(item);
  const line = addLast(placeText(item) + ' · ' + what, 'pending');
  showItem();
  S.chain = S.chain.then(async () => {
    try {
      const r = await api('POST', '/api/decisions', req);
      S.undo.push({ id: r.action.id, item });
      // Said with the value as kept (normalised), not as typed.
      settleLast(line, r, (a) => placeText(item) + ' · ' + describe(item, a));
      renderLeft(r.left);
      refreshSummarySoon();
    } catch (e) {
      line.classList.add('failed');
      line.firstChild.textContent = '✗ ' + line.firstChild.textContent.slice(2);
      banner(failureText(e), e.status === 409 ? 'conflict' : '');
      item.retry = req.value || req.reason || '';
      if (e.status === 409) {
        // Someone else decided meanwhile: show the field as it stands now.
        await loadQueue(item.id);
        return;
      }
      S.items.splice(Math.min(S.index, S.items.length), 0, item);
      S.total += 1;
      S.index = S.items.indexOf(item);
      showView('queue');
      showItem();
    }
  });
}

function describe(item, a) {
  const label = item.label ? ' · ' + item.label : '';
  switch (a.kind) {
    case 'confirm': return 'Xác nhận "' + a.value + '"' + label;
    case 'correct': return 'Sửa "' + (a.value_read || '') + '" → "' + a.value + '"' + label;
    case 'keyed': return (a.value === '' ? 'Không đọc được' : 'Nhập "' + a.value + '"') + label;
    default: return (VI.kinds[a.kind] || a.kind) + (a.value ? ' "' + a.value + '"' : '') + label;
  }
}

// The counts beside the filters follow each decision at once (the queue is fetched again later).
function countDone(item) {
  const d = S.queueData;
  if (!d) return;
  const dec = (map, key) => { if (map && key in map) map[key] = Math.max(0, map[key] - 1); };
  if (item.group) dec(d.groups, item.group);
  if (item.field && d.fields && d.fields[item.field]) d.fields[item.field].count = Math.max(0, d.fields[item.field].count - 1);
  for (const f of item.findings || []) dec(d.findings, f.code);
  renderQueueFilters(d);
  const tab = document.querySelector('#modes button[aria-selected="true"] .n');
  if (tab) tab.textContent = String(Math.max(0, Number(tab.textContent) - 1));
}

function addLast(text, state) {
  const box = $('last');
  const line = el('div', { class: 'item ' + state }, el('span', { text: '… ' + text }));
  box.prepend(line);
  while (box.childNodes.length > 6) box.removeChild(box.lastChild);
  return line;
}

function settleLast(line, r, what) {
  banner('');
  line.classList.remove('pending');
  line.firstChild.textContent = '✓ ' + (what ? what(r.action) : line.firstChild.textContent.slice(2));
  if (r.entry) {
    line.append(' · mục: ', el('span', { class: 'status ' + r.entry.status, text: VI.status[r.entry.status] || r.entry.status }));
    const open = (r.entry.findings || []).filter((f) => f.severity !== 'info');
    if (open.length) {
      const ul = el('ul', { class: 'findings' });
      findingList(ul, open, null, false);
      line.append(ul);
    }
  }
}

let summaryTimer = null;
function refreshSummarySoon() {
  clearTimeout(summaryTimer);
  summaryTimer = setTimeout(async () => {
    try { await loadSummary(); } catch (e) { /* the counts stay as they were */ }
  }, 400);
}

async function undoLast() {
  await S.chain;
  const last = S.undo.pop();
  if (!last) { banner('Chưa có việc nào của bạn để hoàn tác trong phiên này.', 'info'); return; }
  try {
    await api('POST', '/api/undo', { action_id: last.id });
    banner('Đã hoàn tác: ' + placeText(last.item), 'info');
    addLast('Hoàn tác · ' + placeText(last.item), 'done').firstChild.textContent = '↶ Hoàn tác · ' + placeText(last.item);
    await loadSummary();
    if (S.view === 'entry' && S.entry) await reloadEntry();
    else await loadQueue(last.item.id);
  } catch (e) {
    S.undo.push(last);
    banner(failureText(e), e.status === 409 ? 'conflict' : '');
  }
}

async function acknowledge(item, f) {
  const req = { book_id: item.book_id, page: item.page, entry: item.entry, field: f.field || '', action: 'acknowledge', value: f.code, supersedes: f.latest };
  try {
    const r = await api('POST', '/api/decisions', req);
    S.undo.push({ id: r.action.id, item });
    banner('Đã chấp nhận ' + f.code + ' như sổ ghi', 'info');
    await loadSummary();
    if (S.view === 'entry') await reloadEntry(); else await loadQueue(item.id);
  } catch (e) {
    banner(failureText(e), e.status === 409 ? 'conflict' : '');
  }
}

function move(step) {
  if (!S.items.length) return;
  S.index = (S.index + step + S.items.length) % S.items.length;
  showItem();
}

// ---------------------------------------------------------------- the entry view

function showView(v) {
  S.view = v;
  $('view-queue').hidden = v !== 'queue';
  $('view-entry').hidden = v !== 'entry';
  $('view-pair').hidden = v !== 'pair';
  $('bar').hidden = v !== 'queue';
  renderKeys(v === 'queue' ? S.mode : v);
}

async function openEntry(book, page, entry, field) {
  try {
    S.entry = await api('GET', '/api/entries/' + enc(book) + '/' + page + '/' + entry);
  } catch (e) {
    banner(failureText(e));
    return;
  }
  banner('');
  const at = S.entry.fields.findIndex((f) => f.field === field);
  S.entrySel = at >= 0 ? at : firstDoubt(0);
  // The address names the entry: a reload (or a link) comes back to it.
  history.replaceState(null, '', '#entry/' + enc(book) + '/' + page + '/' + entry);
  showView('entry');
  const img = $('e-img');
  img.src = '/api/pages/' + enc(book) + '/' + page + '/image?w=1800';
  renderEntry();
  applyZoom();
}

async function reloadEntry() {
  const v = S.entry;
  const field = (v.fields[S.entrySel] || {}).field;
  await openEntry(v.book_id, v.page, v.entry, field);
}

// A field still in doubt: a finding names it and no person has decided on it.
function inDoubt(f) { return f.findings.length > 0 && !f.set_by; }

// The next field in doubt from `from`; with none left, the first field read from the page.
function firstDoubt(from) {
  const fields = S.entry.fields;
  for (let k = 0; k < fields.length; k++) {
    const n = (from + k) % fields.length;
    if (inDoubt(fields[n])) return n;
  }
  const read = fields.findIndex((f) => f.bbox && f.bbox.w > 0);
  return read >= 0 ? read : 0;
}

function renderEntry() {
  const v = S.entry;
  $('e-title').textContent = placeText(v) + ' · ' + v.page_file;
  const st = $('e-status');
  st.textContent = VI.status[v.status] || v.status;
  st.className = 'status ' + v.status;
  const tbody = $('e-fields').tBodies[0];
  clear(tbody);
  const boxes = $('e-boxes');
  clear(boxes);
  const W = v.image_width || v.width || 1;
  const H = v.image_height || v.height || 1;
  if (v.bbox && v.bbox.w > 0) {
    // The entry's own region, so that the page opens where the entry is.
    const region = el('div', { class: 'entry-region' });
    region.style.left = (v.bbox.x / W * 100) + '%';
    region.style.top = (v.bbox.y / H * 100) + '%';
    region.style.width = (v.bbox.w / W * 100) + '%';
    region.style.height = (v.bbox.h / H * 100) + '%';
    boxes.append(region);
  }
  v.fields.forEach((f, n) => {
    const doubt = inDoubt(f);
    const valueCell = el('td', { class: 'value' + (f.value === '' ? ' empty' : ''), text: f.value === '' ? '(trống)' : f.value });
    if (f.value_read !== f.value && f.value_read !== '') valueCell.append(el('span', { class: 'read', text: 'máy đọc: ' + f.value_read }));
    const setBy = f.set_by ? f.set_by.who + ' · ' + (VI.kinds[f.set_by.how] || f.set_by.how) : '';
    // A column this form does not print (no label of its own) and nothing in it: in grey.
    const unprinted = f.label === f.field && f.value === '' && !doubt;
    const tr = el('tr', {
      class: (n === S.entrySel ? 'sel ' : '') + (doubt ? 'doubt ' : '') + (unprinted ? 'unprinted' : ''), dataset: { field: f.field },
      onclick: () => { S.entrySel = n; renderEntry(); $('e-answer').focus(); },
    }, el('td', { class: 'label', text: f.label }), valueCell, el('td', { class: 'set-by', text: setBy }));
    tbody.append(tr);
    if (f.bbox && f.bbox.w > 0) {
      const b = el('div', {
        class: (n === S.entrySel ? 'sel ' : '') + (doubt ? 'doubt' : ''), title: f.label + ': ' + f.value, dataset: { field: f.field },
        onclick: () => { S.entrySel = n; renderEntry(); $('e-answer').focus(); },
      });
      b.style.left = (f.bbox.x / W * 100) + '%';
      b.style.top = (f.bbox.y / H * 100) + '%';
      b.style.width = (f.bbox.w / W * 100) + '%';
      b.style.height = (f.bbox.h / H * 100) + '%';
      boxes.append(b);
    }
  });
  const sel = v.fields[S.entrySel];
  $('e-answer-label').textContent = sel ? sel.label : '';
  const answer = $('e-answer');
  answer.value = '';
  answer.placeholder = sel ? 'Enter: xác nhận "' + sel.value + '" · gõ để sửa' : '';
  setCheck($('e-check'), '', '');
  const list = $('e-findings');
  clear(list);
  const entryItem = { book_id: v.book_id, page: v.page, entry: v.entry };
  const shown = (sel ? v.field_findings[sel.field] || [] : []).concat(v.entry_findings || []);
  findingList(list, shown, entryItem, true);
  const actions = $('e-entry-actions');
  clear(actions);
  if (S.summary.role === 'reviewer') {
    if ((v.entry_findings || []).some((f) => f.severity === 'review')) {
      actions.append(el('button', { type: 'button', text: 'Đã xem lỗi của mục, mục đúng', onclick: () => entryDecision('confirm_entry') }));
    }
    actions.append(el('button', { type: 'button', text: 'Loại mục (gõ lý do vào ô)', onclick: () => entryDecision('reject_entry') }));
  }
  if (v.has_pair) actions.append(el('button', { type: 'button', text: 'So sánh bản ghi có thể trùng', onclick: () => openPair(entryItem) }));
  const hist = $('e-history').querySelector('ol');
  clear(hist);
  for (const a of v.history) {
    const field = a.target.field || '';
    const li = el('li', {}, a.at + ' · ' + a.who + ' · ' + (VI.kinds[a.kind] || a.kind) + (field ? ' · ' + field : '') +
      (a.pass ? ' · lượt ' + a.pass : '') + (a.value ? ' · "' + a.value + '"' : '') + (a.reason ? ' · ' + a.reason : ''));
    if (a.who === S.summary.reviewer && a.kind !== 'undo') {
      li.append(el('button', { type: 'button', text: 'hoàn tác', onclick: () => undoAction(a.id) }));
    }
    hist.append(li);
  }
  S.entryShownAt = Date.now();
  const selBox = boxes.querySelector('div.sel') || boxes.querySelector('div.entry-region');
  if (selBox) selBox.scrollIntoView({ block: 'center', inline: 'center' });
  const selRow = tbody.querySelector('tr.sel');
  if (selRow) selRow.scrollIntoView({ block: 'nearest' });
  answer.focus({ preventScroll: true });
}

function applyZoom() {
  const frame = $('e-image');
  const img = $('e-img');
  const base = Math.max(300, frame.clientWidth - 4);
  img.style.width = Math.round(base * S.zoom) + 'px';
  $('z-level').textContent = Math.round(S.zoom * 100) + '%';
}

function zoom(step) {
  S.zoom = Math.min(4, Math.max(0.5, S.zoom * step));
  applyZoom();
  const selBox = $('e-boxes').querySelector('div.sel');
  if (selBox) selBox.scrollIntoView({ block: 'center', inline: 'center' });
}

$('z-in').addEventListener('click', () => zoom(1.25));
$('z-out').addEventListener('click', () => zoom(0.8));
$('e-image').addEventListener('wheel', (ev) => {
  if (!ev.ctrlKey) return;
  ev.preventDefault();
  zoom(ev.deltaY < 0 ? 1.1 : 0.9);
}, { passive: false });
$('e-back').addEventListener('click', backToQueue);
$('p-back').addEventListener('click', backToQueue);

async function backToQueue() {
  history.replaceState(null, '', location.pathname + location.search);
  showView('queue');
  await loadSummary();
  await loadQueue();
}

$('e-answer').addEventListener('input', () => {
  const v = S.entry;
  const f = v && v.fields[S.entrySel];
  if (!f) return;
  checkTyped($('e-answer'), $('e-check'), { book_id: v.book_id, page: v.page, entry: v.entry, field: f.field }, 'correct');
});

async function entryFieldDecision(kind) {
  const v = S.entry;
  const f = v && v.fields[S.entrySel];
  if (!f) return;
  const typed = $('e-answer').value;
  const req = { book_id: v.book_id, page: v.page, entry: v.entry, field: f.field, supersedes: f.latest, ms: Date.now() - S.entryShownAt };
  if (kind === 'illegible') req.action = 'illegible';
  else if (typed.trim()) { req.action = 'correct'; req.value = typed; } else req.action = 'confirm';
  try {
    const r = await api('POST', '/api/decisions', req);
    S.undo.push({ id: r.action.id, item: { ...v, id: v.book_id + ':' + v.page + ':' + v.entry + ':' + f.field } });
    const what = (VI.kinds[req.action] || req.action) + ' · ' + f.label + (req.value ? ' → "' + r.action.value + '"' : '');
    settleLast(addLast(placeText(v) + ' · ' + what, 'pending'), r);
    renderLeft(r.left);
    refreshSummarySoon();
    const next = firstDoubt(S.entrySel + 1);
    S.entry = await api('GET', '/api/entries/' + enc(v.book_id) + '/' + v.page + '/' + v.entry);
    S.entrySel = S.entry.fields[next] && inDoubt(S.entry.fields[next]) ? next : Math.min(S.entrySel + 1, S.entry.fields.length - 1);
    banner('');
    renderEntry();
  } catch (e) {
    banner(failureText(e), e.status === 409 ? 'conflict' : '');
    if (e.status === 409) await reloadEntry();
  }
}

async function entryDecision(action) {
  const v = S.entry;
  const reason = $('e-answer').value.trim();
  if (action === 'reject_entry' && !reason) {
    setCheck($('e-check'), 'Gõ lý do loại mục vào ô rồi bấm lại.', 'refused');
    return;
  }
  try {
    const r = await api('POST', '/api/decisions', { book_id: v.book_id, page: v.page, entry: v.entry, field: '', action, reason, supersedes: v.entry_latest });
    S.undo.push({ id: r.action.id, item: { ...v, id: v.book_id + ':' + v.page + ':' + v.entry } });
    await reloadEntry();
  } catch (e) {
    banner(failureText(e), e.status === 409 ? 'conflict' : '');
  }
}

async function undoAction(id) {
  try {
    await api('POST', '/api/undo', { action_id: id });
    banner('Đã hoàn tác', 'info');
    await reloadEntry();
  } catch (e) {
    banner(failureText(e), e.status === 409 ? 'conflict' : '');
  }
}

// ---------------------------------------------------------------- possible duplicates

async function openPair(item) {
  try {
    S.pair = await api('GET', '/api/pairs/' + enc(item.book_id) + '/' + item.page + '/' + item.entry);
  } catch (e) {
    banner(failureText(e));
    return;
  }
  S.pairItem = item;
  banner('');
  history.replaceState(null, '', '#pair/' + enc(item.book_id) + '/' + item.page + '/' + item.entry);
  showView('pair');
  renderPair();
}

function renderPair() {
  const p = S.pair;
  $('p-title').textContent = placeText(p);
  const box = $('p-records');
  clear(box);
  const onlyBox = $('p-only-rows');
  clear(onlyBox);
  let onlyCount = 0;
  const head = (o) => el('thead', {}, el('tr', {}, el('th', { text: 'Trường' }), el('th', { text: 'Mục này' }), el('th', { text: o.name + (o.found ? '' : ' (không tìm thấy bản ghi)') })));
  for (const o of p.others) {
    // What both records hold, compared, above the decision; what only one holds, folded away.
    const both = o.rows.filter((r) => r.entry_value !== '' && r.other_value !== '');
    const one = o.rows.filter((r) => r.entry_value === '' || r.other_value === '');
    const table = el('table', { class: 'pair' }, head(o));
    const body = el('tbody');
    for (const r of both) {
      const same = r.entry_value.trim().toLowerCase() === r.other_value.trim().toLowerCase();
      body.append(el('tr', { class: same ? 'same' : 'differ', dataset: { field: r.field } }, el('td', { text: r.label }), el('td', { class: 'v', text: r.entry_value }), el('td', { class: 'v', text: r.other_value })));
    }
    table.append(body);
    box.append(table);
    if (one.length) {
      onlyCount += one.length;
      const rest = el('table', { class: 'pair' }, head(o));
      const restBody = el('tbody');
      for (const r of one) {
        restBody.append(el('tr', { class: 'only', dataset: { field: r.field } }, el('td', { text: r.label }), el('td', { class: 'v', text: r.entry_value }), el('td', { class: 'v', text: r.other_value })));
      }
      rest.append(restBody);
      onlyBox.append(rest);
    }
  }
  $('p-only').hidden = onlyCount === 0;
  const d = $('p-decision');
  clear(d);
  const first = p.others[0];
  if (p.decided) {
    d.append(el('span', { text: 'Đã quyết định: ' + (VI.kinds[p.decided.kind] || p.decided.kind) + ' (' + p.decided.other + ') · ' + p.decided.who + ' · ' + p.decided.at }));
    if (p.decided.who === S.summary.reviewer) {
      d.append(el('button', { type: 'button', text: 'Hoàn tác', onclick: async () => { await undoAction2(p.decided.id); } }));
    }
  } else if (first) {
    d.append(el('button', { type: 'button', onclick: () => decidePair('same') }, kbd('S'), 'Cùng một người'),
      el('button', { type: 'button', onclick: () => decidePair('distinct') }, kbd('D'), 'Khác người'));
  }
  d.append(el('button', { type: 'button', onclick: nextPair }, kbd('N'), 'Cặp tiếp theo'));
  renderExplanation(p);
}

async function undoAction2(id) {
  try {
    await api('POST', '/api/undo', { action_id: id });
    await openPair(S.pairItem);
  } catch (e) {
    banner(failureText(e), e.status === 409 ? 'conflict' : '');
  }
}

async function decidePair(kind) {
  const p = S.pair;
  if (!p || p.decided || !p.others.length) return;
  try {
    const r = await api('POST', '/api/decisions', { book_id: p.book_id, page: p.page, entry: p.entry, field: '', action: kind, value: p.others[0].name, supersedes: p.latest });
    S.undo.push({ id: r.action.id, item: S.pairItem });
    await openPair(S.pairItem);
  } catch (e) {
    banner(failureText(e), e.status === 409 ? 'conflict' : '');
  }
}

async function nextPair() {
  const at = S.items.findIndex((i) => i.id === (S.pairItem || {}).id);
  await loadSummary();
  await loadQueue();
  showView('queue');
  const next = S.items.find((i, n) => n >= Math.max(0, at) && i.id !== (S.pairItem || {}).id) || S.items[0];
  if (next) openPair(next);
}

// The explanation, once decided: each field's weight as a step from the prior to the total.
function renderExplanation(p) {
  const box = $('p-explain');
  const wf = $('p-waterfall');
  clear(wf);
  if (!p.explanation) {
    box.hidden = !p.explanation_text;
    $('p-summary').textContent = p.explanation_text || '';
    return;
  }
  box.hidden = false;
  const x = p.explanation;
  $('p-summary').textContent = 'Tổng ' + x.total.toFixed(1) + ' bit → xác suất cùng một người ' + x.probability +
    (x.capped ? ' · bị giới hạn: ' + x.capped : '');
  const labels = {};
  // The form's label without the section it belongs to (all are about the same two people).
  for (const o of p.others) for (const r of o.rows) labels[r.field] = r.label.replace(/\s*\([^)]*\)$/, '');
  const steps = [{ name: 'Tiên nghiệm (mọi cặp)', notes: [], from: 0, to: x.prior, cls: x.prior >= 0 ? 'up' : 'down', bits: x.prior }];
  let cur = x.prior;
  for (const f of x.fields) {
    steps.push({ name: (labels[f.field] || f.field) + ': ' + f.level, notes: f.notes, from: cur, to: cur + f.bits, cls: f.bits >= 0 ? 'up' : 'down', bits: f.bits });
    cur += f.bits;
  }
  steps.push({ name: 'Tổng', notes: [], from: 0, to: x.total, cls: 'total', bits: x.total });
  const values = steps.flatMap((s) => [s.from, s.to]).concat([0]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = Math.max(1e-9, hi - lo);
  const pct = (v) => ((v - lo) / span * 100);
  const chart = el('div', { class: 'waterfall' });
  for (const s of steps) {
    const track = el('div', { class: 'track' });
    const zero = el('div', { class: 'zero' });
    zero.style.left = pct(0) + '%';
    const bar = el('div', { class: 'bar ' + s.cls });
    bar.style.left = pct(Math.min(s.from, s.to)) + '%';
    bar.style.width = Math.max(0.5, pct(Math.max(s.from, s.to)) - pct(Math.min(s.from, s.to))) + '%';
    track.append(zero, bar);
    const name = el('div', { class: 'name', text: s.name });
    if (s.notes.length) name.append(el('span', { class: 'notes', text: s.notes.join(', ') }));
    chart.append(el('div', { class: 'row' }, name, track, el('div', { class: 'bits', text: (s.bits >= 0 ? '+' : '') + s.bits.toFixed(1) })));
  }
  wf.append(chart);
}

// ---------------------------------------------------------------- keys

document.addEventListener('keydown', (ev) => {
  if (ev.target && ev.target.tagName === 'SELECT') return;
  const key = ev.key;
  const handled = S.view === 'queue' ? queueKey(ev, key) : S.view === 'entry' ? entryKey(ev, key) : pairKey(ev, key);
  if (handled) ev.preventDefault();
});

function queueKey(ev, key) {
  const answer = $('answer');
  const item = S.items[S.index];
  const isField = item && item.field !== undefined;
  if (key === 'Enter') {
    if (ev.repeat) return true;
    if (!item) return true;
    if (S.mode === 'duplicates') openPair(item);
    else if (isField) decideField('enter');
    else decideEntry('confirm');
    return true;
  }
  if (key === 'F2') { if (!ev.repeat && isField) decideField('illegible'); return true; }
  if (key === 'F4' || (key === 'z' && ev.ctrlKey && !answer.value)) { undoLast(); return true; }
  if (key === 'F5' || key === 'F6') { if (isField && S.mode === 'arbitration') decideField('candidate', key === 'F5' ? 0 : 1); return true; }
  if (key === 'F8') { if (item && !isField) decideEntry('reject'); return true; }
  if (key === 'F9') {
    if (item && S.summary.role !== 'keyer') openEntry(item.book_id, item.page, item.entry, item.field || '');
    return true;
  }
  if (key === 'PageDown' || key === 'ArrowDown') { move(1); return true; }
  if (key === 'PageUp' || key === 'ArrowUp') { move(-1); return true; }
  if (key === 'Escape') { answer.value = ''; setCheck($('c-check'), '', ''); return true; }
  return false;
}

function entryKey(ev, key) {
  if (key === 'Escape') { backToQueue(); return true; }
  if (key === 'Enter') { if (!ev.repeat) entryFieldDecision('enter'); return true; }
  if (key === 'F2') { if (!ev.repeat) entryFieldDecision('illegible'); return true; }
  if (key === 'F4' || (key === 'z' && ev.ctrlKey && !$('e-answer').value)) { undoLast(); return true; }
  if (key === 'ArrowDown' || key === 'ArrowUp') {
    const n = S.entry.fields.length;
    S.entrySel = (S.entrySel + (key === 'ArrowDown' ? 1 : -1) + n) % n;
    renderEntry();
    return true;
  }
  if (key === 'F7') { zoom(1.25); return true; }
  if (key === 'F6') { zoom(0.8); return true; }
  return false;
}

function pairKey(ev, key) {
  if (key === 'Escape') { backToQueue(); return true; }
  const k = key.toLowerCase();
  if (k === 's') { decidePair('same'); return true; }
  if (k === 'd') { decidePair('distinct'); return true; }
  if (k === 'n' || key === 'Enter') { nextPair(); return true; }
  return false;
}

// An address naming an entry (#entry/BOOK/PAGE/ENTRY) opens it.
function entryInHash() {
  const m = /^#(entry|pair)\/([^/]+)\/(\d+)\/(\d+)$/.exec(location.hash);
  return m ? [decodeURIComponent(m[2]), Number(m[3]), Number(m[4]), m[1]] : null;
}

function openFromHash(e) {
  if (e[3] === 'pair') return openPair({ book_id: e[0], page: e[1], entry: e[2], id: e[0] + ':' + e[1] + ':' + e[2] });
  return openEntry(e[0], e[1], e[2], '');
}

window.addEventListener('hashchange', () => {
  const e = entryInHash();
  if (e && S.summary && S.summary.role !== 'keyer') openFromHash(e);
});

window.addEventListener('resize', () => { if (S.view === 'entry') applyZoom(); });

(async function start() {
  try {
    await loadSummary();
  } catch (e) {
    banner(failureText(e));
    return;
  }
  const e = entryInHash();
  if (e && S.summary.role !== 'keyer') {
    await openFromHash(e);
    return;
  }
  showView('queue');
  await loadQueue();
})();
