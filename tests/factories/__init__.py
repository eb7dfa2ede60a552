"""factory_boy factories for every app, in one place (a module per app)."""

from tests.factories.loans import *  # noqa: F403
from tests.factories.portal import *  # noqa: F403
from tests.factories.programs import *  # noqa: F403
