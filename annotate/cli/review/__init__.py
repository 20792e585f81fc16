"""`annotate reviewers add|list|remove`, `annotate review status|held-back|reassign`,
`annotate agreement`, `annotate adjudicate`, `annotate escalations`, and the K-reviewer
branch of `annotate push`: one module per command or concern. Importing the package
registers the commands on `app`, in the order the help lists them."""

from __future__ import annotations

# the order the commands are registered in, and listed in
# isort: off
from annotate.cli.review import groups as _groups  # noqa: F401
from annotate.cli.review import reviewers as _reviewers  # noqa: F401
from annotate.cli.review import agreement as _agreement  # noqa: F401
from annotate.cli.review import escalations as _escalations  # noqa: F401
from annotate.cli.review import status as _status  # noqa: F401
from annotate.cli.review import held_back as _held_back  # noqa: F401
from annotate.cli.review import reassign as _reassign  # noqa: F401
# isort: on
