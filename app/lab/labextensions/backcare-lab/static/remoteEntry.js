/*
 * BackCare Kit's JupyterLab plugin for learners (make lab). Plain JavaScript, no build step.
 *
 * The problem it solves: a learner saves a lesson (Ctrl+S) and closes its tab at once. The
 * save is still on its way to the server (a GET and a PUT, 0.1-0.2 s, longer on a busy
 * machine), so the lesson is still marked changed, and JupyterLab's close check asks "Save
 * your work?". It decides at the moment of the click and never looks again, so the dialog
 * stays up after the save has completed and the tab shows no change mark. (Upstream:
 * jupyterlab/jupyterlab#5787 is a related save-then-close race.)
 *
 * The fix: while a document's save is on its way, its close request waits for that save to
 * end, then closes the document again. If the learner has made changes the save did not
 * include (or the save failed), JupyterLab's own check still asks "Save your work?": only the
 * false question goes.
 *
 * How it is loaded: this file is a module-federation container, the contract JupyterLab's
 * loader uses for every prebuilt extension (window._JUPYTERLAB[name] with init() and get()).
 * The only shared module it needs is @lumino/messaging (the message loop that delivers a
 * widget's close request), taken from the share scope JupyterLab passes to init().
 */
var _JUPYTERLAB = window._JUPYTERLAB || (window._JUPYTERLAB = {});

(function () {
  "use strict";

  var NAME = "backcare-lab";
  // A save that never answers must not keep the tab open for ever: after this, the close goes
  // ahead and JupyterLab's own check decides.
  var SAVE_WAIT_MS = 15000;
  var shareScope = null;

  function shared(pkg) {
    var versions = shareScope && shareScope[pkg];
    if (!versions) {
      return Promise.reject(new Error(NAME + ": " + pkg + " is not shared by JupyterLab"));
    }
    // The newest version JupyterLab shares (it shares one per major version).
    var newest = Object.keys(versions).sort(function (a, b) {
      return b.localeCompare(a, undefined, { numeric: true });
    })[0];
    return Promise.resolve(versions[newest].get()).then(function (factory) {
      return factory();
    });
  }

  function plugin(messaging) {
    var MessageLoop = messaging.MessageLoop;
    var saving = new WeakMap(); // context -> promise of the save on its way
    var watched = new WeakSet();

    function track(context) {
      if (!context || !context.saveState || watched.has(context)) return;
      watched.add(context);
      var done = null;
      context.saveState.connect(function (_sender, state) {
        if (state === "started") {
          saving.set(
            context,
            new Promise(function (resolve) {
              done = resolve;
            })
          );
        } else if (done) {
          // "completed" or "failed"
          saving.delete(context);
          done();
          done = null;
        }
      });
    }

    function hook(widget, msg) {
      if (msg.type !== "close-request") return true;
      var pending = saving.get(widget.context);
      if (!pending) return true;
      var timeout = new Promise(function (resolve) {
        setTimeout(resolve, SAVE_WAIT_MS);
      });
      Promise.race([pending, timeout]).then(function () {
        saving.delete(widget.context);
        if (!widget.isDisposed) widget.close();
      });
      return false; // not yet: closed again once the save has ended
    }

    function watch(widget) {
      if (!widget || !widget.context || watched.has(widget)) return;
      watched.add(widget);
      track(widget.context);
      // Installed after the document manager's own hook, so it runs first.
      MessageLoop.installMessageHook(widget, hook);
    }

    return {
      id: NAME + ":close-after-save",
      description: "Closing a document while its save is on its way waits for the save.",
      autoStart: true,
      activate: function (app) {
        var shell = app.shell;
        function scan() {
          var widgets = shell.widgets ? shell.widgets("main") : [];
          for (var widget of widgets) watch(widget);
        }
        if (shell.layoutModified) shell.layoutModified.connect(scan);
        if (shell.currentChanged) {
          shell.currentChanged.connect(function (_s, args) {
            watch(args.newValue);
          });
        }
        app.restored.then(scan);
        scan();
      },
    };
  }

  _JUPYTERLAB[NAME] = {
    init: function (scope) {
      shareScope = scope;
    },
    get: function (module) {
      if (module !== "./extension") {
        return Promise.reject(new Error(NAME + ': no module "' + module + '"'));
      }
      return shared("@lumino/messaging").then(function (messaging) {
        var exports = { __esModule: true, default: plugin(messaging) };
        return function () {
          return exports;
        };
      });
    },
  };
})();
