"""JupyterLab for a learner: `make lab` (jupyter lab --config=app/lab/jupyter_lab_config.py).

- Opens lesson 00 directly, in a copy of the lessons in the learner's own data folder beside
  their diary (BACKCARE_LESSONS_DIR overrides it), so autosave never touches the repository.
- Saving a lesson drops its outputs and widget state, so it reopens clean.
- The file browser shows whole lesson names (no date column); no news or update checks (they
  would call the internet, and a newcomer does not need them).
"""

from pathlib import Path

from backcare_lib import learner as lessons

HERE = Path(__file__).resolve().parent
c = get_config()  # noqa: F821 (given by Jupyter when it reads this file)

c.ServerApp.ip = "127.0.0.1"
c.ServerApp.root_dir = str(lessons.prepare())
c.LabApp.default_url = "/lab/tree/" + lessons.lesson_files()[0]
c.LabApp.app_settings_dir = str(HERE / "settings")
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.extension_manager = "readonly"
c.ContentsManager.pre_save_hook = "backcare_lib.learner.pre_save_hook"
c.LabApp.workspaces_dir = str(lessons.prepare_workspace())
# Our plugin (app/lab/labextensions/backcare-lab): closing a lesson while its save is on its
# way waits for the save, instead of asking "Save your work?" about changes already saved.
c.LabApp.extra_labextensions_path = [str(HERE / "labextensions")]
