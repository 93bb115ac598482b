// The page a secret-request link opens: standalone (no dashboard build needed), no external
// resource, no inline script or style, so that its CSP can forbid everything else. The link's
// token stays in the URL fragment, which browsers never send: the script posts it in a body.

/** The page's Content-Security-Policy: own script, style and API calls only; no framing. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ')

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Tresor: set a secret</title>
<link rel="stylesheet" href="/s/page.css">
<script src="/s/page.js" defer></script>
</head>
<body>
<main>
<h1>Set a secret</h1>
<noscript><p class="error">This page needs JavaScript to send the value.</p></noscript>
<p id="status" role="status">Checking the link…</p>
<form id="form" hidden autocomplete="off">
<dl>
<dt>Variable</dt><dd><code id="key"></code></dd>
<dt>Project / environment</dt><dd><span id="where"></span></dd>
<dt>Link expires</dt><dd><span id="expires"></span></dd>
</dl>
<p id="description"></p>
<label for="value">Value</label>
<div class="row">
<input id="value" name="value" type="password" autocomplete="off" spellcheck="false" autocapitalize="off" required>
<textarea id="multi" rows="6" autocomplete="off" spellcheck="false" autocapitalize="off" hidden></textarea>
<button type="button" id="show" aria-pressed="false">Show</button>
</div>
<label class="check"><input type="checkbox" id="multiline"> Multi-line value (shown while typing)</label>
<p class="note">The value goes straight to Tresor and is stored as a secret. Whoever asked for it
(an AI agent, a script) never sees it. The link works once.</p>
<button type="submit" id="submit">Store secret</button>
</form>
</main>
</body>
</html>
`

export const PAGE_CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2430}
main{max-width:36rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{margin-top:0;font-size:1.4rem}dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}
dt{color:#5a6372}dd{margin:0}code{font-size:1rem}.row{display:flex;gap:.5rem}
input[type=password],input[type=text],textarea{flex:1;font:inherit;padding:.5rem;border:1px solid #9aa3b2;border-radius:4px}
button{font:inherit;padding:.5rem 1rem;border-radius:4px;border:1px solid #2d5bd7;background:#2d5bd7;color:#fff;cursor:pointer}
button[type=button]{background:#fff;color:#2d5bd7}.check{display:block;margin:.5rem 0}
.note{color:#5a6372;font-size:.9rem}.error{color:#b00020}.done{color:#0a7a35}
`

export const PAGE_JS = `'use strict';
(function () {
  var token = location.hash.slice(1);
  var $ = function (id) { return document.getElementById(id); };
  var status = $('status'), form = $('form'), single = $('value'), multi = $('multi');
  function say(text, kind) { status.textContent = text; status.className = kind || ''; }
  function post(path, body) {
    return fetch(path, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body), credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer'
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error(data.detail || 'The server refused the request (HTTP ' + res.status + ')');
        return data;
      });
    });
  }
  function field() { return $('multiline').checked ? multi : single; }
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) {
    say('This link is not complete: copy the whole link, including the part after #.', 'error');
    return;
  }
  post('/v1/secret-requests/inspect', { token: token }).then(function (info) {
    $('key').textContent = info.key;
    $('where').textContent = info.project + ' / ' + info.environment;
    $('expires').textContent = new Date(info.expiresAt).toLocaleString();
    $('description').textContent = info.description || '';
    say('Type the value of ' + info.key + ' below.');
    form.hidden = false;
    single.focus();
  }, function (err) { say(err.message, 'error'); });
  $('show').addEventListener('click', function () {
    var shown = single.type === 'text';
    single.type = shown ? 'password' : 'text';
    this.textContent = shown ? 'Show' : 'Hide';
    this.setAttribute('aria-pressed', String(!shown));
  });
  $('multiline').addEventListener('change', function () {
    multi.hidden = !this.checked; single.hidden = this.checked;
    single.required = !this.checked; multi.required = this.checked;
    $('show').hidden = this.checked;
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var input = field(), value = input.value;
    if (value === '') { say('Type a value first.', 'error'); return; }
    $('submit').disabled = true;
    say('Storing…');
    post('/v1/secret-requests/fulfill', { token: token, value: value }).then(function (out) {
      single.value = ''; multi.value = ''; form.hidden = true;
      say(out.key + ' is stored as a secret in ' + out.project + ' / ' + out.environment +
        '. ' + (out.redeployRequired ? 'A deploy is needed for the app to see it. ' : '') +
        'You can close this page.', 'done');
    }, function (err) {
      $('submit').disabled = false;
      say(err.message, 'error');
    });
  });
})();
`
