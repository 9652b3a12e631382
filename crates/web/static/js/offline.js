// leadkit away from a connection, on every page. Without this file (or without
// service workers) everything works online as before.
// - Registers the service worker (/sw.js), tells it whose pages it may keep,
//   and on a reflection page asks it to keep the framework's other pages.
// - Evidence added with no connection is kept on this device (IndexedDB, with
//   its photo) and shown as waiting to be sent; it is posted through the same
//   form route as online, with this session's anti-forgery token, as soon as
//   the connection returns. Reflections are kept and sent by reflect.js; from
//   any other page this file sends them too (and leaves a conflict for the
//   reflection page to show).
// - Large photos are made smaller before they are sent, where the browser can.
// - Signing out removes everything kept on this device (the server also sends
//   Clear-Site-Data).
(function () {
  'use strict';
  var person = document.body.getAttribute('data-person') || '';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var DB = 'leadkit-outbox';
  var DRAFTS = 'leadkit-draft:';

  // ---- The service worker -------------------------------------------------
  var worker = null;
  function tellWorker(message) {
    if (worker) { worker.postMessage(message); }
  }
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      worker = registration.active;
      var warm = [];
      if (person && navigator.onLine) {
        // The pages a page names (a framework's other subdomains) are fetched
        // at most once an hour per tab; each page is kept fresh as it is opened.
        var links = document.querySelectorAll('[data-keep-offline] a[href], a[data-keep-offline]');
        var mark = 'leadkit-warmed:' + person + ':' + (links.length ? links[0].getAttribute('href') : '');
        var last = 0;
        try { last = Number(window.sessionStorage.getItem(mark) || 0); } catch (e) { last = 0; }
        if (links.length && Date.now() - last > 3600 * 1000) {
          Array.prototype.forEach.call(links, function (a) { warm.push(a.getAttribute('href')); });
          try { window.sessionStorage.setItem(mark, String(Date.now())); } catch (e) { /* private mode */ }
        }
        // A page opened before the worker was in charge was not kept as it loaded.
        if (!navigator.serviceWorker.controller) { warm.push(window.location.pathname + window.location.search); }
      }
      tellWorker({ type: 'person', person: person, warm: warm });
    }).catch(function () { /* no worker: online only */ });
  }
  // After a save, the kept copy of this page is refreshed so that it opens offline as saved.
  var rewarm = null;
  document.addEventListener('leadkit:saved', function () {
    window.clearTimeout(rewarm);
    rewarm = window.setTimeout(function () {
      tellWorker({ type: 'person', person: person, warm: [window.location.pathname + window.location.search] });
    }, 1500);
  });

  // ---- What is kept on this device -----------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error('no IndexedDB')); return; }
      var request = window.indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore('posts', { keyPath: 'id', autoIncrement: true });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function withPosts(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction('posts', mode);
        var result = work(tx.objectStore('posts'));
        tx.oncomplete = function () { db.close(); resolve(result && result.value !== undefined ? result.value : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function allPosts() {
    var out = { value: [] };
    return withPosts('readonly', function (posts) {
      posts.openCursor().onsuccess = function (event) {
        var cursor = event.target.result;
        if (cursor) {
          if (cursor.value.person === person) { out.value.push(cursor.value); }
          cursor.continue();
        }
      };
      return out;
    });
  }
  function putPost(post) { return withPosts('readwrite', function (posts) { posts.put(post); }); }
  function deletePost(id) { return withPosts('readwrite', function (posts) { posts.delete(id); }); }

  function reflectionDrafts() {
    var found = [];
    try {
      for (var i = 0; i < window.localStorage.length; i += 1) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(DRAFTS + person + ':') === 0 && key.split(':').length === 4) {
          var drafts = JSON.parse(window.localStorage.getItem(key) || '{}') || {};
          Object.keys(drafts).forEach(function (slug) { found.push({ key: key, slug: slug, draft: drafts[slug] }); });
        }
      }
    } catch (e) { /* storage disabled */ }
    return found;
  }

  // ---- Saying what is waiting ------------------------------------------------
  var status = document.querySelector('[data-outbox-status]');
  function say(text, kind, link) {
    if (!status) { return; }
    status.textContent = text;
    status.className = 'outbox-status' + (kind ? ' ' + kind : '');
    if (link) {
      var a = document.createElement('a');
      a.href = link.href;
      a.textContent = link.text;
      status.appendChild(document.createTextNode(' '));
      status.appendChild(a);
    }
    status.hidden = !text;
  }
  var keptPosts = 0;
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  function showWaiting() {
    if (!person) { return Promise.resolve(); }
    return allPosts().catch(function () { return []; }).then(function (posts) {
      var drafts = reflectionDrafts();
      var conflicts = drafts.filter(function (d) { return d.draft.conflict; });
      var list = document.querySelector('[data-outbox-list]');
      if (list) {
        list.textContent = '';
        posts.forEach(function (post) {
          var li = document.createElement('li');
          li.setAttribute('data-test-waiting', post.title);
          li.textContent = post.title + (post.failed ? ': not sent. ' + post.failed + ' ' : ': waiting to be sent');
          if (post.failed) {
            var remove = document.createElement('button');
            remove.type = 'button';
            remove.className = 'secondary';
            remove.textContent = 'Remove it from this device';
            remove.addEventListener('click', function () { deletePost(post.id).then(showWaiting); });
            li.appendChild(remove);
          }
          list.appendChild(li);
        });
        list.closest('[data-outbox]').hidden = posts.length === 0;
      }
      var waiting = posts.filter(function (p) { return !p.failed; }).length + drafts.length - conflicts.length;
      keptPosts = posts.length;
      if (conflicts.length) {
        var page = conflicts[0].draft.page;
        say(plural(conflicts.length, 'change needs', 'changes need') + ' your choice: it was changed elsewhere too.', 'failed',
          page ? { href: page, text: 'Choose which to keep' } : null);
      } else if (waiting > 0) {
        say(plural(waiting, 'change is', 'changes are') + ' kept on this device, waiting to be sent' +
          (navigator.onLine ? '…' : ' when the connection returns.'), '');
      } else if (!navigator.onLine) {
        say('You are offline. Pages kept on this device still open, and what you do is kept here until the connection returns.', '');
      } else if (status && status.getAttribute('data-sent')) {
        say('Sent: everything you did offline is saved.', 'saved');
      } else {
        say('', '');
      }
      return waiting;
    });
  }

  // ---- Sending ----------------------------------------------------------------
  function token() { return meta ? meta.getAttribute('content') : ''; }
  // A page kept from an earlier session carries an old token: ask for the current one.
  function freshToken() {
    return window.fetch('/', { credentials: 'same-origin' }).then(function (response) {
      if (response.redirected && response.url.indexOf('/sign-in') !== -1) { throw new Error('signed out'); }
      return response.text();
    }).then(function (html) {
      var match = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
      if (!match) { throw new Error('signed out'); }
      if (meta) { meta.setAttribute('content', match[1]); }
      return match[1];
    });
  }
  function refusal(html) {
    var doc = new window.DOMParser().parseFromString(html, 'text/html');
    var summary = doc.querySelector('[data-test-errors] ul');
    return summary ? summary.textContent.replace(/\s+/g, ' ').trim() : 'The server refused it.';
  }
  function sendPost(post, csrf) {
    var body = new FormData();
    // The token goes first: the server checks it before it reads any file.
    body.append('csrf', csrf);
    post.entries.forEach(function (entry) {
      if (entry[0] === 'csrf') { return; }
      if (entry[2]) { body.append(entry[0], entry[1], entry[2]); } else { body.append(entry[0], entry[1]); }
    });
    return window.fetch(post.action, { method: 'POST', body: body, credentials: 'same-origin' }).then(function (response) {
      if (response.redirected && response.url.indexOf('/sign-in') !== -1) { return 'signed-out'; }
      if (response.redirected && response.url.indexOf('kept=') !== -1) { return 'stale'; }
      if (response.status === 403) { return 'stale'; }
      if (response.status === 422 || response.status === 400 || response.status === 413) {
        return response.text().then(function (html) { post.failed = refusal(html); return putPost(post).then(function () { return 'refused'; }); });
      }
      if (!response.ok) { throw new Error('server ' + response.status); }
      return deletePost(post.id).then(function () { return 'sent'; });
    });
  }
  function sendReflection(found, csrf) {
    var draft = found.draft;
    if (draft.conflict || !draft.api) { return Promise.resolve('waiting'); }
    var body = { judgement: draft.judgement, note: draft.note };
    if (typeof draft.base === 'string') { body.based_on = draft.base; }
    return window.fetch(draft.api, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 403 || response.status === 401) { return 'stale'; }
      return response.json().catch(function () { return {}; }).then(function (answer) {
        var drafts = JSON.parse(window.localStorage.getItem(found.key) || '{}') || {};
        var current = drafts[found.slug];
        if (!current || current.at !== draft.at) { return 'sent'; }
        if (response.status === 200) { delete drafts[found.slug]; }
        else if (response.status === 409) { current.conflict = answer.reflection || {}; }
        else if (response.status >= 400 && response.status < 500) { current.conflict = null; current.failed = answer.error || 'refused'; }
        else { throw new Error('server ' + response.status); }
        if (Object.keys(drafts).length) { window.localStorage.setItem(found.key, JSON.stringify(drafts)); }
        else { window.localStorage.removeItem(found.key); }
        return response.status === 200 ? 'sent' : 'refused';
      });
    });
  }
  var sending = false;
  function sendAll() {
    if (!person || sending || !navigator.onLine) { return showWaiting(); }
    var onReflectPage = !!document.querySelector('[data-reflect-form]');
    return allPosts().catch(function () { return []; }).then(function (posts) {
      var drafts = onReflectPage ? [] : reflectionDrafts();
      posts = posts.filter(function (p) { return !p.failed; });
      if (!posts.length && !drafts.length) { return showWaiting(); }
      sending = true;
      var sent = 0;
      var attempt = function (csrf, retried) {
        var chain = Promise.resolve();
        var stale = false;
        posts.concat(drafts).forEach(function (item) {
          chain = chain.then(function () {
            if (stale) { return null; }
            var send = item.entries ? sendPost(item, csrf) : sendReflection(item, csrf);
            return send.then(function (result) {
              if (result === 'sent') { sent += 1; }
              if (result === 'stale' || result === 'signed-out') { stale = true; }
            });
          });
        });
        return chain.then(function () {
          if (stale && !retried) {
            return freshToken().then(function (fresh) {
              return allPosts().then(function (left) {
                posts = left.filter(function (p) { return !p.failed; });
                drafts = onReflectPage ? [] : reflectionDrafts();
                return attempt(fresh, true);
              });
            });
          }
          if (stale) { throw new Error('signed out'); }
          return null;
        });
      };
      return attempt(token(), false).then(function () {
        if (sent && status) { status.setAttribute('data-sent', 'true'); }
        sending = false;
        return showWaiting();
      }, function (error) {
        sending = false;
        return showWaiting().then(function () {
          if (String(error && error.message) === 'signed out') {
            say('You have been signed out. What you did offline is kept on this device and will be sent when you sign in again.', 'failed',
              { href: '/sign-in?next=' + encodeURIComponent(window.location.pathname), text: 'Sign in again' });
          }
        });
      });
    });
  }
  window.addEventListener('online', function () { window.setTimeout(sendAll, 250); });
  window.addEventListener('offline', showWaiting);
  document.addEventListener('leadkit:waiting', showWaiting);

  // ---- Keeping a form that cannot be sent now --------------------------------
  function keepForm(form) {
    var entries = [];
    var title = '';
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled) { return; }
      if ((field.type === 'checkbox' || field.type === 'radio') && !field.checked) { return; }
      if (field.type === 'file') {
        Array.prototype.forEach.call(field.files || [], function (file) { entries.push([field.name, file, file.name]); });
        return;
      }
      if (field.tagName === 'BUTTON' || field.type === 'submit') { return; }
      entries.push([field.name, field.value]);
    });
    var titled = form.querySelector('[name="title"]');
    var file = form.querySelector('input[type="file"]');
    var note = form.querySelector('textarea');
    title = (titled && titled.value.trim()) || (file && file.files && file.files[0] && file.files[0].name) ||
      (note && note.value.trim().slice(0, 60)) || 'Evidence';
    return putPost({ person: person, action: form.getAttribute('action'), entries: entries, title: title, at: Date.now() });
  }
  Array.prototype.forEach.call(document.querySelectorAll('form[data-offline-capture]'), function (form) {
    form.addEventListener('submit', function (event) {
      if (navigator.onLine || !person || !window.indexedDB) { return; }
      event.preventDefault();
      keepForm(form).then(function () {
        form.reset();
        Array.prototype.forEach.call(form.querySelectorAll('textarea'), function (box) { box.dispatchEvent(new Event('input', { bubbles: true })); });
        var shown = form.querySelector('[data-kept-notice]');
        if (shown) {
          shown.hidden = false;
          shown.textContent = 'Kept on this device with no connection: it is waiting to be sent, and will be sent when the connection returns.';
          shown.focus();
        }
        return showWaiting();
      }).catch(function () {
        window.alert('This device could not keep it. Please try again when you are connected.');
      });
    });
  });

  // ---- Smaller photos ----------------------------------------------------------
  var LARGEST_SIDE = 2048;
  Array.prototype.forEach.call(document.querySelectorAll('input[type="file"][data-downscale]'), function (input) {
    var hint = document.getElementById(input.getAttribute('data-downscale'));
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file || !/^image\/(jpeg|png|webp|heic|heif)$/.test(file.type) || !window.createImageBitmap || !window.DataTransfer) { return; }
      // HEIC (an iPhone's photos) is not a kind the server keeps: where this browser reads it, it is sent as JPEG.
      var foreign = /hei[cf]$/.test(file.type);
      window.createImageBitmap(file, { imageOrientation: 'from-image' }).then(function (bitmap) {
        var scale = Math.min(1, LARGEST_SIDE / Math.max(bitmap.width, bitmap.height));
        if (scale === 1 && file.size <= 1024 * 1024 && !foreign) { return null; }
        var canvas = document.createElement('canvas');
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return new Promise(function (resolve) { canvas.toBlob(resolve, 'image/jpeg', 0.85); }).then(function (blob) {
          if (!blob || (blob.size >= file.size && !foreign)) { return; }
          var smaller = new File([blob], file.name.replace(/\.[^.]+$/, '') + '.jpg', { type: 'image/jpeg', lastModified: file.lastModified });
          var transfer = new DataTransfer();
          transfer.items.add(smaller);
          input.files = transfer.files;
          if (hint) {
            hint.textContent = 'Made smaller on this device before sending: ' + Math.round(file.size / 1024) + ' KB to ' +
              Math.round(smaller.size / 1024) + ' KB (' + canvas.width + ' × ' + canvas.height + ').';
          }
        });
      }).catch(function () { /* the server's own checks still apply */ });
    });
  });

  // ---- The offline page lists what this device has kept ------------------------
  var offlineList = document.querySelector('[data-offline-list]');
  if (offlineList && window.caches) {
    window.caches.open('leadkit-pages').then(function (cache) { return cache.keys(); }).then(function (requests) {
      requests.forEach(function (request) {
        var path = new URL(request.url).pathname;
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = path;
        a.textContent = path === '/' ? 'Home' : path;
        li.appendChild(a);
        offlineList.appendChild(li);
      });
      offlineList.closest('[data-offline-pages]').hidden = requests.length === 0;
    });
  }

  // ---- Signing out leaves nothing behind ----------------------------------------
  function forgetEverything() {
    try {
      var doomed = [];
      for (var i = 0; i < window.localStorage.length; i += 1) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf('leadkit-') === 0) { doomed.push(key); }
      }
      doomed.forEach(function (key) { window.localStorage.removeItem(key); });
    } catch (e) { /* storage disabled */ }
    try { window.sessionStorage.clear(); } catch (e) { /* disabled */ }
    if (window.indexedDB) { window.indexedDB.deleteDatabase(DB); }
    tellWorker({ type: 'forget' });
    if (window.caches) { window.caches.delete('leadkit-pages'); window.caches.delete('leadkit-meta'); }
  }
  Array.prototype.forEach.call(document.querySelectorAll('form[action="/sign-out"], form[action="/sign-out-everywhere"]'), function (form) {
    form.addEventListener('submit', function (event) {
      var waiting = reflectionDrafts().length + keptPosts;
      if (waiting > 0 && !window.confirm(plural(waiting, 'change is', 'changes are') +
          ' kept on this device and not yet sent. Signing out removes them from this device. Sign out anyway?')) {
        event.preventDefault();
        return;
      }
      forgetEverything();
    });
  });

  if (person) { sendAll(); }
}());
