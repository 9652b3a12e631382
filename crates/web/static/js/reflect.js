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
    state.at = Date.now();
    state.api = fieldset.getAttribute('data-api');
    drafts[slug] = state;
    storeDrafts(drafts);
    setStatus(fieldset, 'Not saved yet…', '');
    window.clearTimeout(timers[slug]);
    timers[slug] = window.setTimeout(function () { send(slug, false); }, delay);
  }

  function send(slug, keepalive) {
    var draft = loadDrafts()[slug];
    var fieldset = fieldsetFor(slug);
    if (!draft || !draft.api) { return; }
    setStatus(fieldset, 'Saving…', '');
    window.fetch(draft.api, {
      method: 'PUT',
      credentials: 'same-origin',
      keepalive: keepalive,
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ judgement: draft.judgement, note: draft.note })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    }).then(function (result) {
      if (result.status === 200) {
        var drafts = loadDrafts();
        if (drafts[slug] && drafts[slug].at === draft.at) { delete drafts[slug]; storeDrafts(drafts); }
        setStatus(fieldset, 'Saved', 'saved');
        updateProgress(result.body.progress);
        hideBanner();
      } else if (result.status === 401 || result.status === 403) {
        setStatus(fieldset, 'Not saved yet: kept on this device', 'failed');
        showBanner('You have been signed out. Your changes are kept on this device and will be saved when you sign in again.', true);
      } else if (result.status >= 400 && result.status < 500) {
        setStatus(fieldset, 'Not saved: ' + (result.body.error || 'please check this component'), 'failed');
      } else {
        throw new Error('server error ' + result.status);
      }
    }).catch(function () {
      setStatus(fieldset, 'Not saved yet: kept on this device, will retry', 'failed');
      showBanner('leadkit cannot be reached just now. Your changes are kept on this device and will be saved when the connection returns.', false);
      scheduleRetry();
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
        if (draft.at <= serverTime) { delete drafts[slug]; return; }
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
  // Leaving the page: send what is still waiting; it is also kept locally.
  window.addEventListener('pagehide', function () {
    var drafts = loadDrafts();
    Object.keys(drafts).forEach(function (slug) { window.clearTimeout(timers[slug]); send(slug, true); });
  });
  var hint = document.querySelector('.hint');
  if (hint) { hint.setAttribute('data-enhanced', 'true'); }
}());
