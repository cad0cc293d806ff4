// Runs before decap-cms.js: the desk starts Decap itself (desk.js), after the editor has
// signed in and the custom format and widgets are registered.
window.CMS_MANUAL_INIT = true;
