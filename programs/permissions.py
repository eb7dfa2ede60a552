"""What the generic Wagtail admin views may do with programs records.

Facts once posted (payments, check batches, application lines) are only
shown; applications are added through the entry form (the service) and never
edited through a generic form. Nothing is deleted. The policies are
registered when the app is ready, before anything asks Wagtail for one.
"""

from __future__ import annotations

from typing import Any

from wagtail.permissions import register_permission_policy

from portal.viewsets import NoDeletePermissionPolicy

READ_ONLY = frozenset({"add", "change", "delete"})


class RefusingPermissionPolicy(NoDeletePermissionPolicy):
    """Never delete; and never the `refused` generic actions either (the
    records change only through their services)."""

    def __init__(self, model: Any, refused: frozenset[str]) -> None:
        super().__init__(model)
        self.refused = refused

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action not in self.refused and super().user_has_permission(user, action)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return super().user_has_any_permission(user, set(actions) - self.refused)

    def user_has_permission_for_instance(
        self, user: Any, action: str, instance: Any
    ) -> bool:
        return action not in self.refused and super().user_has_permission_for_instance(
            user, action, instance
        )

    def users_with_any_permission(self, actions: Any) -> Any:
        return super().users_with_any_permission(set(actions) - self.refused)


_POLICIES: dict[Any, RefusingPermissionPolicy] = {}


def policy_for(model: Any) -> RefusingPermissionPolicy:
    return _POLICIES[model]


def register_policies() -> None:
    from programs.models import (
        RebateApplication,
        RebateCheckBatch,
        RebateLine,
        RebatePayment,
    )

    refused = {
        RebateLine: READ_ONLY,
        RebateCheckBatch: READ_ONLY,
        RebatePayment: READ_ONLY,
        RebateApplication: frozenset({"change", "delete"}),
    }
    for model, actions in refused.items():
        _POLICIES[model] = RefusingPermissionPolicy(model, actions)
        register_permission_policy(model, _POLICIES[model])
