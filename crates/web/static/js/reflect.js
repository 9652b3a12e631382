// Progressive enhancement for the reflection form. Without this file the form is a
// plain POST and still works. With it: each component saves as it changes, every
// change is first kept in this browser (localStorage) until the server confirms it,
// and kept changes are saved again after a lost connection or a new sign-in.
(function () {
  'use strict';
  var form = document.querySelector('[data-reflect-form]');
  if (!form || !window.fetch || !window.JSON) { return; }
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  var draftKey = form.getAttribute('data-draft-key');
  var banner = document.querySelector('[data-offline]');
  var timers = {};
  var retryTimer = null;

  function loadDrafts() {
    try { return JSON.parse(window.localStorage.getItem(draftKey) || '{}') || {}; } catch (e) { return {}; }
  }
  function storeDrafts(drafts) {
    try {
      if (Object.keys(drafts).length) { window.localStorage.setItem(draftKey, JSON.stringify(drafts)); }
      else { window.localStorage.removeItem(draftKey); }
    } catch (e) { /* storage full or disabled: saving still works online */ }
  }
  function fieldsetFor(slug) { return form.querySelector('[data-component="' + slug + '"]'); }
  function stateOf(fieldset) {
    var checked = fieldset.querySelector('input[type=radio]:checked');
    var note = fieldset.querySelector('textarea');
    // "No choice yet" clears the choice: the API says that with null.
    return { judgement: checked && checked.value !== 'clear' ? checked.value : null, note: note ? note.value : '' };
  }
  function setStatus(fieldset, text, kind) {
    if (!fieldset) { return; }
    var status = fieldset.querySelector('[data-status]');
    status.textContent = text;
    status.className = 'save-status' + (kind ? ' ' + kind : '');
  }
  function showBanner(message, withSignIn) {
    if (!banner) { return; }
    banner.textContent = message + ' ';
    if (withSignIn) {
      var link = document.createElement('a');
      link.href = '/sign-in?next=' + encodeURIComponent(window.location.pathname);
      link.textContent = 'Sign in again';
      banner.appendChild(link);
    }
    banner.hidden = false;
  }
  function hideBanner() { if (banner) { banner.hidden = true; } }
  function updateProgress(progress) {
    if (!progress) { return; }
    var reflected = document.querySelector('[data-progress-reflected]');
    if (reflected) { reflected.textContent = String(progress.reflected); }
    var done = 0;
    var sets = form.querySelectorAll('[data-component]');
    for (var i = 0; i < sets.length; i++) {
      if (sets[i].querySelector('input[type=radio]:checked')) { done++; }
    }
    var group = document.querySelector('[data-group-reflected]');
    if (group) { group.textContent = String(done); }
  }

  // Keep the change locally, then save it after `delay` ms.
  function remember(fieldset, delay) {
    var slug = fieldset.getAttribute('data-component');
    var drafts = loadDrafts();
    var state = stateOf(fieldset);
    var earlier = drafts[slug];
    state.at = Date.now();
    state.api = fieldset.getAttribute('data-api');
    state.page = window.location.pathname + '#c-' + slug;
    // What this change was made from: the stored version this page showed, or
    // that of a change still waiting here. The server refuses to overwrite a
    // change made elsewhere since (409), and the person chooses.
    state.base = earlier && typeof earlier.base === 'string' ? earlier.base : (fieldset.getAttribute('data-version') || '');
    if (earlier && earlier.conflict) { state.conflict = earlier.conflict; }
    drafts[slug] = state;
    storeDrafts(drafts);
    setStatus(fieldset, 'Not saved yet…', '');
    document.dispatchEvent(new Event('leadkit:waiting'));
    window.clearTimeout(timers[slug]);
    timers[slug] = window.setTimeout(function () { send(slug, false); }, delay);
  }

  function send(slug, keepalive) {
    var draft = loadDrafts()[slug];
    var fieldset = fieldsetFor(slug);
    if (!draft || !draft.api) { return; }
    if (draft.conflict) { showConflict(slug); return; }
    if (!navigator.onLine) { waiting(fieldset); scheduleRetry(); return; }
    setStatus(fieldset, 'Saving…', '');
    var body = { judgement: draft.judgement, note: draft.note };
    if (typeof draft.base === 'string') { body.based_on = draft.base; }
    window.fetch(draft.api, {
      method: 'PUT',
      credentials: 'same-origin',
      keepalive: keepalive,
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    }).then(function (result) {
      if (result.status === 200) {
        var drafts = loadDrafts();
        var version = result.body.reflection ? result.body.reflection.version : '';
        if (fieldset) { fieldset.setAttribute('data-version', version); }
        if (drafts[slug] && drafts[slug].at === draft.at) { delete drafts[slug]; }
        else if (drafts[slug]) { drafts[slug].base = version; }
        storeDrafts(drafts);
        setStatus(fieldset, 'Saved', 'saved');
        updateProgress(result.body.progress);
        hideBanner();
        document.dispatchEvent(new Event('leadkit:saved'));
        document.dispatchEvent(new Event('leadkit:waiting'));
      } else if (result.status === 409) {
        var kept = loadDrafts();
        if (kept[slug]) { kept[slug].conflict = result.body.reflection || {}; storeDrafts(kept); }
        showConflict(slug);
        document.dispatchEvent(new Event('leadkit:waiting'));
      } else if (result.status === 401 || result.status === 403) {
        setStatus(fieldset, 'Not saved yet: kept on this device', 'failed');
        showBanner('You have been signed out. Your changes are kept on this device and will be saved when you sign in again.', true);
      } else if (result.status >= 400 && result.status < 500) {
        setStatus(fieldset, 'Not saved: ' + (result.body.error || 'please check this component'), 'failed');
      } else {
        throw new Error('server error ' + result.status);
      }
    }).catch(function () {
      waiting(fieldset);
      scheduleRetry();
    });
  }
  function waiting(fieldset) {
    setStatus(fieldset, 'Waiting to be sent: kept on this device', 'failed');
    showBanner('leadkit cannot be reached just now. Your changes are kept on this device, waiting to be sent, and will be saved when the connection returns.', false);
  }

  // Changed elsewhere too: both are shown and the person chooses.
  function labelOf(fieldset, judgement) {
    if (judgement === null || judgement === undefined) { return 'No choice yet'; }
    var radio = fieldset.querySelector('input[type=radio][value="' + judgement + '"]');
    var label = radio && radio.closest('label') && radio.closest('label').querySelector('.choice-label');
    return label ? label.textContent : judgement;
  }
  function when(stamp) {
    var date = new Date(stamp);
    if (isNaN(date.getTime())) { return ''; }
    return date.toLocaleString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  }
  function side(heading, level, note) {
    var box = document.createElement('div');
    var h = document.createElement('h3');
    h.textContent = heading;
    var p = document.createElement('p');
    p.textContent = level;
    box.appendChild(h);
    box.appendChild(p);
    var n = document.createElement('p');
    n.className = 'note';
    n.textContent = note ? 'Note: ' + note : 'No note';
    box.appendChild(n);
    return box;
  }
  function showConflict(slug) {
    var fieldset = fieldsetFor(slug);
    var draft = loadDrafts()[slug];
    if (!fieldset || !draft || !draft.conflict) { return; }
    var theirs = draft.conflict;
    var old = fieldset.querySelector('[data-conflict]');
    if (old) { old.remove(); }
    var box = document.createElement('div');
    box.className = 'conflict alert warning';
    box.setAttribute('data-conflict', '');
    box.setAttribute('data-test-conflict', slug);
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', 'Changed elsewhere: choose which to keep');
    var p = document.createElement('p');
    var strong = document.createElement('strong');
    strong.textContent = 'Changed elsewhere too. ';
    p.appendChild(strong);
    p.appendChild(document.createTextNode('This component was saved differently somewhere else' +
      (theirs.updated_at ? ' (' + when(theirs.updated_at) + ')' : '') + ' after you made your change here. Nothing has been overwritten: choose which to keep.'));
    box.appendChild(p);
    var both = document.createElement('div');
    both.className = 'conflict-sides';
    both.appendChild(side('Saved elsewhere', labelOf(fieldset, theirs.judgement), theirs.note));
    both.appendChild(side('Yours, on this device', labelOf(fieldset, draft.judgement), draft.note));
    box.appendChild(both);
    var actions = document.createElement('div');
    actions.className = 'form-actions';
    var mine = document.createElement('button');
    mine.type = 'button';
    mine.className = 'button';
    mine.textContent = 'Keep mine';
    mine.setAttribute('data-test-keep-mine', '');
    var other = document.createElement('button');
    other.type = 'button';
    other.className = 'button secondary';
    other.textContent = 'Keep the one saved elsewhere';
    other.setAttribute('data-test-keep-theirs', '');
    actions.appendChild(mine);
    actions.appendChild(other);
    box.appendChild(actions);
    fieldset.insertBefore(box, fieldset.querySelector('.choices'));
    setStatus(fieldset, 'Not saved: changed elsewhere, choose which to keep', 'failed');
    mine.addEventListener('click', function () {
      var drafts = loadDrafts();
      if (!drafts[slug]) { return; }
      drafts[slug].base = theirs.version || '';
      delete drafts[slug].conflict;
      storeDrafts(drafts);
      box.remove();
      send(slug, false);
    });
    other.addEventListener('click', function () {
      var radios = fieldset.querySelectorAll('input[type=radio]');
      var wanted = theirs.judgement === null || theirs.judgement === undefined ? 'clear' : theirs.judgement;
      for (var i = 0; i < radios.length; i++) { radios[i].checked = radios[i].value === wanted; }
      var note = fieldset.querySelector('textarea');
      if (note) { note.value = theirs.note || ''; }
      fieldset.setAttribute('data-version', theirs.version || '');
      var drafts = loadDrafts();
      delete drafts[slug];
      storeDrafts(drafts);
      box.remove();
      setStatus(fieldset, 'Kept the one saved elsewhere', 'saved');
      document.dispatchEvent(new Event('leadkit:waiting'));
    });
  }

  function sendAll() {
    var drafts = loadDrafts();
    Object.keys(drafts).forEach(function (slug) { send(slug, false); });
  }
  function scheduleRetry() {
    if (retryTimer) { return; }
    retryTimer = window.setTimeout(function () { retryTimer = null; sendAll(); }, 10000);
  }

  // On load: put back any kept change newer than what the server has, and save it.
  (function replay() {
    var drafts = loadDrafts();
    Object.keys(drafts).forEach(function (slug) {
      var draft = drafts[slug];
      var fieldset = fieldsetFor(slug);
      if (fieldset) {
        var serverTime = Number(fieldset.getAttribute('data-updated')) * 1000;
        // A draft from before this was known to the server is settled by the
        // server (409 if it changed since); an older kind without one, by time.
        if (typeof draft.base !== 'string' && draft.at <= serverTime) { delete drafts[slug]; return; }
        var radios = fieldset.querySelectorAll('input[type=radio]');
        var wanted = draft.judgement === null ? 'clear' : draft.judgement;
        for (var i = 0; i < radios.length; i++) { radios[i].checked = radios[i].value === wanted; }
        var note = fieldset.querySelector('textarea');
        if (note) { note.value = draft.note; }
      }
    });
    storeDrafts(drafts);
    sendAll();
  }());

  form.addEventListener('change', function (event) {
    var fieldset = event.target.closest('[data-component]');
    if (fieldset && event.target.type === 'radio') { remember(fieldset, 0); }
  });
  form.addEventListener('input', function (event) {
    var fieldset = event.target.closest('[data-component]');
    if (fieldset && event.target.tagName === 'TEXTAREA') { remember(fieldset, 800); }
  });
  form.addEventListener('focusout', function (event) {
    var fieldset = event.target.closest('[data-component]');
    var slug = fieldset && fieldset.getAttribute('data-component');
    if (slug && timers[slug] && loadDrafts()[slug]) { window.clearTimeout(timers[slug]); send(slug, false); }
  });
  window.addEventListener('online', sendAll);
  // With no connection the Save button keeps what is on the page here, as the choices already are.
  form.addEventListener('submit', function (event) {
    if (navigator.onLine) { return; }
    event.preventDefault();
    Array.prototype.forEach.call(form.querySelectorAll('[data-component]'), function (fieldset) {
      var slug = fieldset.getAttribute('data-component');
      if (loadDrafts()[slug]) { waiting(fieldset); }
    });
  });
  // Leaving the page: send what is still waiting; it is also kept locally.
  window.addEventListener('pagehide', function () {
    var drafts = loadDrafts();
    Object.keys(drafts).forEach(function (slug) { window.clearTimeout(timers[slug]); send(slug, true); });
  });
  var hint = document.querySelector('.hint');
  if (hint) { hint.setAttribute('data-enhanced', 'true'); }
}());
