"""Voila for a learner: `make learn` serves the lessons with no code shown.

Read together with the repository's voila.json (the dashboard's settings: sources stripped,
no tracebacks, offline template, idle kernels culled); this file adds the lessons' index page
(tree.html of the backcare template), which lists the lessons in order with their titles.
"""

from backcare_lib import learner as lessons

c = get_config()  # noqa: F821 (given by Voila when it reads this file)

c.VoilaConfiguration.classic_tree = True
c.VoilaConfiguration.page_config_hook = lessons.voila_page_config
