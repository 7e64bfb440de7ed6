"""Workstations from the app: 添加工作站 on the hub, 把本机加入学校 on a new PC.

The node mechanics (setup files with keys, enrollment) are ``growthdesk.sync`` (issue 11,
sync-transport); these dialogs only ask and call them. Until that code is present, ``join_dialog``
returns None and the hub's menu item is not shown.
"""

from __future__ import annotations


def available() -> bool:
    return False


def join_dialog(parent):
    return None
