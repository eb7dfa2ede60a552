from wagtail import hooks

from programs.viewsets import ProgramsGroup


@hooks.register("register_admin_viewset")
def register_programs():
    return ProgramsGroup()
