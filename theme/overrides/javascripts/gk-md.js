/* Material's inline helpers from partials/javascripts/base.html, as a file: the site's Content-Security-Policy
 * runs no inline script. Loaded in <head> before Material's bundle, which uses these globals. The scope (the
 * site root, relative) comes from the script element's data-md-scope. */
var __md_scope = new URL(document.currentScript.getAttribute("data-md-scope"), location);
var __md_hash = function (e) {
  return Array.from(e).reduce(function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0);
};
var __md_get = function (e, store, scope) {
  store = store || localStorage;
  scope = scope || __md_scope;
  return JSON.parse(store.getItem(scope.pathname + "." + e));
};
var __md_set = function (e, value, store, scope) {
  store = store || localStorage;
  scope = scope || __md_scope;
  try { store.setItem(scope.pathname + "." + e, JSON.stringify(value)); } catch (err) { /* storage full or off */ }
};
