// The main menu folds behind its button on a narrow screen (it is open in the
// page, so that without JavaScript nothing is hidden).
(function () {
  'use strict';
  var menu = document.querySelector('details[data-menu]');
  var narrow = window.matchMedia && window.matchMedia('(max-width: 47.99rem)').matches;
  if (menu && narrow) { menu.open = false; }
  // So do long lists of subdomains before the page's own content (reflection, coaching).
  if (window.matchMedia && window.matchMedia('(max-width: 59.99rem)').matches) {
    Array.prototype.forEach.call(document.querySelectorAll('details[data-fold-narrow]'), function (fold) { fold.open = false; });
  }
})();
// leadkit, on every signed-in page's forms. Drafts: every long text box (textarea) keeps a draft in
// this browser while it is typed in, so that a closed tab, a crash or a lost
// connection loses nothing. A draft comes back into its box when the page is
// opened again with the box empty, and is cleared once the server has the
// post: the server names the form it accepted in a short-lived cookie
// (lk_saved), read here on the next page. Signing out clears every draft.
// The reflection form keeps its own drafts (reflect.js) and is left alone.
// Descriptors: where a form chooses a level (a goal's current and target
// levels), the descriptor shown for it follows the choice before it is saved.
(function () {
  'use strict';
  Array.prototype.forEach.call(document.querySelectorAll('[data-follows]'), function (shown) {
    var select = document.getElementById(shown.getAttribute('data-follows'));
    if (!select) { return; }
    select.addEventListener('change', function () {
      var option = select.options[select.selectedIndex];
      var label = shown.querySelector('[data-level-label]');
      var text = shown.querySelector('[data-level-text]');
      if (label) { label.textContent = option ? option.textContent : ''; }
      if (text) {
        var descriptor = option ? option.getAttribute('data-descriptor') : '';
        text.textContent = descriptor || text.getAttribute('data-none') || '';
      }
    });
  });
})();
// Tag checklists: a search box filters the items shown (every item stays in
// the form, ticked or not); frameworks with a match open.
(function () {
  'use strict';
  Array.prototype.forEach.call(document.querySelectorAll('[data-tag-filter]'), function (box) {
    var list = box.closest('fieldset');
    var holder = list.querySelector('[data-tag-filter-box]');
    var count = list.querySelector('[data-tag-filter-count]');
    if (holder) { holder.hidden = false; }
    box.addEventListener('input', function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(list.querySelectorAll('details'), function (framework) {
        var any = false;
        Array.prototype.forEach.call(framework.querySelectorAll('[data-tag-group]'), function (group) {
          var heading = (group.querySelector('summary') || {}).textContent || '';
          var groupAny = false;
          Array.prototype.forEach.call(group.querySelectorAll('[data-tag-item]'), function (item) {
            var text = (heading + ' ' + item.textContent).toLowerCase();
            var match = words.every(function (w) { return text.indexOf(w) !== -1; });
            item.hidden = !match;
            if (match) { groupAny = true; shown += 1; }
          });
          group.hidden = !groupAny;
          if (words.length) { group.open = groupAny; }
          any = any || groupAny;
        });
        if (words.length) { framework.open = any; framework.hidden = !any; } else { framework.hidden = false; }
      });
      if (count) { count.textContent = words.length ? shown + ' matching' : ''; }
    });
  });
})();
(function () {
  'use strict';
  var PREFIX = 'leadkit-draft:';
  var store;
  try { store = window.localStorage; store.getItem(PREFIX); } catch (e) { return; }

  // Drafts are kept per person, so that a shared computer never offers one
  // person's words to another.
  var person = document.body.getAttribute('data-person') || '';
  function keyFor(form, box, index) {
    return PREFIX + person + ':' + (form.getAttribute('action') || window.location.pathname) + '|' + box.name + '|' + index;
  }
  function read(key) {
    try { return JSON.parse(store.getItem(key) || 'null'); } catch (e) { return null; }
  }
  function forget(prefix) {
    var doomed = [];
    for (var i = 0; i < store.length; i += 1) {
      var key = store.key(i);
      if (key && key.indexOf(prefix) === 0) { doomed.push(key); }
    }
    doomed.forEach(function (key) { store.removeItem(key); });
  }

  // The form the server has just accepted: its drafts are no longer needed.
  var saved = document.cookie.split('; ').filter(function (c) { return c.indexOf('lk_saved=') === 0; })[0];
  if (saved) {
    var action = decodeURIComponent(saved.slice('lk_saved='.length));
    forget(PREFIX + person + ':' + action + '|');
    document.cookie = 'lk_saved=; Path=/; Max-Age=0; SameSite=Strict';
  }

  function note(box, text) {
    var id = (box.id || box.name) + '-draft-note';
    var shown = document.getElementById(id);
    if (!shown) {
      shown = document.createElement('p');
      shown.id = id;
      shown.className = 'hint draft-note';
      shown.setAttribute('aria-live', 'polite');
      shown.setAttribute('data-test-draft-note', '');
      box.insertAdjacentElement('afterend', shown);
    }
    shown.textContent = text;
  }

  Array.prototype.forEach.call(document.querySelectorAll('form[method="post"]'), function (form) {
    if (form.hasAttribute('data-reflect-form')) { return; }
    var counts = {};
    Array.prototype.forEach.call(form.querySelectorAll('textarea[name]'), function (box) {
      var index = counts[box.name] = (counts[box.name] || 0) + 1;
      var key = keyFor(form, box, index);
      var draft = read(key);
      if (draft && draft.value && !box.value.trim()) {
        box.value = draft.value;
        note(box, 'Brought back from a draft kept in this browser. It is not saved until you send the form.');
      } else if (draft && draft.value === box.value) {
        store.removeItem(key);
      }
      box.addEventListener('input', function () {
        if (box.value.trim()) {
          try { store.setItem(key, JSON.stringify({ value: box.value, at: Date.now() })); } catch (e) { /* full */ }
          note(box, 'Draft kept in this browser.');
        } else {
          store.removeItem(key);
        }
      });
    });
  });

  // Signing out (here or everywhere) leaves nothing behind on this device.
  Array.prototype.forEach.call(document.querySelectorAll('form[action="/sign-out"], form[action="/sign-out-everywhere"]'), function (form) {
    form.addEventListener('submit', function () { forget(PREFIX); });
  });
})();
// The coach's views: each saves as it is chosen (a level) or typed (a comment,
// after a pause), through the same form post as the Save button, so the same
// checks apply; "Saved" says the server has it.
(function () {
  'use strict';
  var form = document.querySelector('form[data-coach-form]');
  if (!form || !window.fetch) { return; }
  var csrf = form.querySelector('input[name="csrf"]');
  var group = form.querySelector('input[name="group"]');
  var timers = {};
  function status(fieldset, text) {
    var shown = fieldset.querySelector('[data-status]');
    if (shown) { shown.textContent = text; }
  }
  function send(fieldset) {
    var body = new URLSearchParams();
    body.append('csrf', csrf ? csrf.value : '');
    body.append('group', group ? group.value : '');
    Array.prototype.forEach.call(fieldset.querySelectorAll('input[type="radio"]:checked, textarea'), function (field) {
      body.append(field.name, field.value);
    });
    status(fieldset, 'Saving…');
    window.fetch(form.action, {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }).then(function (response) {
      if (response.ok && response.redirected && response.url.indexOf('kept=') === -1) {
        status(fieldset, 'Saved');
      } else if (response.status === 401 || response.url.indexOf('kept=') !== -1) {
        status(fieldset, 'Not saved: you have been signed out. Press “Save my views” to sign in again and keep it.');
      } else {
        status(fieldset, 'Not saved: press “Save my views” to see why.');
      }
    }).catch(function () {
      status(fieldset, 'Not saved yet: no connection. Press “Save my views” when you are back online.');
    });
  }
  form.addEventListener('change', function (event) {
    var fieldset = event.target.closest('[data-coach-component]');
    if (fieldset && event.target.type === 'radio') { send(fieldset); }
  });
  form.addEventListener('input', function (event) {
    var fieldset = event.target.closest('[data-coach-component]');
    if (!fieldset || event.target.tagName !== 'TEXTAREA') { return; }
    window.clearTimeout(timers[fieldset.id]);
    status(fieldset, 'Not saved yet');
    timers[fieldset.id] = window.setTimeout(function () { send(fieldset); }, 800);
  });
})();

// A coach or line-manager picker with a search box: typing keeps only the
// people whose name matches (and whoever is chosen now). Without JavaScript
// the box stays hidden and the grouped list works as it is.
(function () {
  document.querySelectorAll('[data-picker-find]').forEach(function (box) {
    var select = document.getElementById(box.getAttribute('data-picker-find'));
    var input = box.querySelector('input');
    if (!select || !input) return;
    var original = Array.prototype.map.call(select.children, function (node) { return node.cloneNode(true); });
    box.hidden = false;
    input.addEventListener('input', function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var chosen = select.value;
      var fits = function (option) {
        var text = option.textContent.toLowerCase();
        return option.value === '' || option.value === chosen ||
          words.every(function (w) { return text.indexOf(w) !== -1; });
      };
      while (select.firstChild) select.removeChild(select.firstChild);
      original.forEach(function (node) {
        if (node.tagName === 'OPTGROUP') {
          var group = node.cloneNode(false);
          Array.prototype.forEach.call(node.children, function (option) {
            if (fits(option)) group.appendChild(option.cloneNode(true));
          });
          if (group.children.length) select.appendChild(group);
        } else if (fits(node)) {
          select.appendChild(node.cloneNode(true));
        }
      });
      select.value = chosen;
    });
  });
})();
