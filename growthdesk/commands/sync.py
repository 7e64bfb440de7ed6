"""CLI of format 2 (DESIGN §5.1, §6): ``school add-workstation``, ``init-workstation``, ``sync``,
``node show|revoke|enroll``; ``district publish`` and ``district add-school --reissue`` are
registered with the other ``district`` commands (commands/setup.py) and run here."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import add_common, emit, open_db


def register(sub) -> None:
    school = sub.add_parser("school", help="school hub commands / 学校主机操作")
    ssub = school.add_subparsers(dest="school_command", required=True)
    p = ssub.add_parser("add-workstation", help="enroll a workstation and write its setup file / 添加工作站")
    add_common(p, json_flag=True)
    p.add_argument("--name", required=True, help="a name for the PC, e.g. 机房1 or 初一办公室")
    p.add_argument("--out", required=True, help="workstation setup file to write (WS-SETUP.json)")
    p.add_argument("--reissue", metavar="NODE", help="re-enroll this workstation (e.g. S0001-W02): new secret, old key void")
    p.set_defaults(func=cmd_add_workstation)

    p = sub.add_parser("init-workstation", help="make this PC a workstation of the school / 用设置文件创建工作站")
    add_common(p, json_flag=True)
    p.add_argument("--setup", required=True, help="the workstation setup file from the school hub")
    p.add_argument("--school", help="refuse a setup file of any other school than this code")
    p.set_defaults(func=cmd_init_workstation)

    p = sub.add_parser("sync", help="exchange bundles through a sync folder / 通过同步文件夹同步")
    add_common(p, json_flag=True)
    p.add_argument("--folder", required=True, type=Path, help="the sync folder (network share or USB stick)")
    p.add_argument("--setup", help="a workstation waiting for its accounts, when this PC no longer keeps its "
                                   "enrollment secret: its workstation setup file / 工作站设置文件")
    p.set_defaults(func=cmd_sync)

    node = sub.add_parser("node", help="this node's identity and peers / 节点与密钥")
    nsub = node.add_subparsers(dest="node_command", required=True)
    p = nsub.add_parser("show", help="node id, role, public keys, parent and children")
    add_common(p, json_flag=True)
    p.set_defaults(func=cmd_node_show)
    p = nsub.add_parser("revoke", help="revoke a child's key (a lost or stolen PC) / 吊销下级密钥")
    add_common(p, json_flag=True)
    p.add_argument("--node", required=True, help="the child's node id (a school code, or S0001-W02)")
    p.set_defaults(func=cmd_node_revoke)
    p = nsub.add_parser("enroll", help="take a re-issued school setup file: new keys / 用新设置文件重新加入")
    add_common(p, json_flag=True)
    p.add_argument("--setup", required=True, help="the school setup file re-issued by the district")
    p.set_defaults(func=cmd_node_enroll)


def _user(args: argparse.Namespace) -> str:
    from .bundle import _user as user

    return user(args)  # who logged in (cli.open_db), as bundle commands record it


def cmd_add_workstation(args: argparse.Namespace) -> int:
    from ..setup import add_workstation, write_setup_file

    with open_db(args) as db:
        setup = add_workstation(db, args.name, reissue=args.reissue)
    path = write_setup_file(setup, args.out)
    node = setup["node"]
    emit(args, {"setup_file": str(path), "node_id": node["node_id"], "name": node["name"],
                "school_code": setup["school"]["code"]},
         f"已添加工作站 {node['name']}（{node['node_id']}），设置文件：{path}（内含一次性加入密钥，请只交给该电脑）")
    return 0


def cmd_init_workstation(args: argparse.Namespace) -> int:
    from ..setup import create_workstation
    from .setup import _recovery_note, _sealed

    opened = None
    if getattr(args, "user", None):  # re-enrolling a workstation that has its accounts: a login opens it
        opened = open_db(args)
    try:
        db = create_workstation(args.db, args.setup, school_code=args.school, opened=opened)
    except BaseException:
        if opened is not None:
            opened.close()
        raise
    result = {"db": args.db, "node_id": db.settings.get("node_id"), "school_code": db.school_code,
              "parent_node_id": db.settings.get("parent_node_id"), **_sealed(db)}
    db.close()
    emit(args, result, f"已创建工作站 {result['node_id']}（学校 {result['school_code']}）：{args.db}。"
                       "请运行 sync 与学校主机同步" + _recovery_note(result))
    return 0


def _open_for_sync(args: argparse.Namespace):
    """A workstation still waiting for its accounts opens with its enrollment secret (this PC's
    copy, or ``--setup``); every other database with a login (``cli.open_db``)."""
    from ..security import open_waiting_workstation, waiting_for_accounts
    if not getattr(args, "user", None) and waiting_for_accounts(args.db):
        from ..cli import _os_user
        db = open_waiting_workstation(args.db, setup=args.setup)
        args.login = _os_user()
        return db
    return open_db(args)


def cmd_sync(args: argparse.Namespace) -> int:
    import sys

    from ..sync.folder import sync_folder

    with _open_for_sync(args) as db:
        res = sync_folder(db, args.folder, user=_user(args))
    lines = [f"节点 {res['node_id']}：收到 {len(res['imported'])} 个数据包，发出 {len(res['sent'])} 个"
             f" (node {res['node_id']}: {len(res['imported'])} in, {len(res['sent'])} out)"]
    for b in res["imported"]:
        lines.append(f"  ← {b['file']}: {b['status']}" + (f" — {b['notice']}" if b.get("notice") else ""))
    for b in res["skipped"]:
        lines.append(f"  ✗ {b['file']}: 已跳过 (skipped) — {b['reason']}")
    for r in res["receipts"]:
        lines.append(f"  ← {r['file']}: {r['status']}" + (f" — {r['reason']}" if r.get("reason") else ""))
    for b in res["sent"]:
        lines.append(f"  → {b['file']} ({b['rows']} 行 rows)")
    if res.get("pending_changes"):
        lines.append(f"  {res['pending_changes']} 条未同步 ({res['pending_changes']} changes not yet sent)")
    emit(args, res, "\n".join(lines))
    if res["errors"]:
        print(f"growthdesk: {res['errors'][0]['message']}", file=sys.stderr)
        return 1
    return 0


def cmd_node_show(args: argparse.Namespace) -> int:
    from ..sync import nodes

    with open_db(args) as db:
        me = nodes.identity(db)
        res = {"node_id": me.node_id, "role": me.role, "parent_node_id": me.parent_node_id,
               "sign_public": me.keys.sign_public, "box_public": me.keys.box_public, "peers": nodes.list_peers(db)}
    lines = [f"{me.node_id}（{nodes.ROLES_ZH.get(me.role, me.role)}）签名公钥 {me.keys.sign_public[:16]}…"]
    for p in res["peers"]:
        lines.append(f"  {'上级' if p['relation'] == 'parent' else '下级'} {p['node_id']} {p['name']}：{p['status_zh']}")
    emit(args, res, "\n".join(lines))
    return 0


def cmd_node_revoke(args: argparse.Namespace) -> int:
    from ..sync import nodes

    with open_db(args) as db:
        res = nodes.revoke(db, args.node, user=_user(args))
    emit(args, res, f"已吊销 {res['node_id']} 的密钥：它的数据包将被拒绝。重新加入需要新的设置文件 "
                    f"(revoked {res['node_id']}; re-enroll with a new setup file)")
    return 0


def cmd_node_enroll(args: argparse.Namespace) -> int:
    from ..setup import enroll_school

    with open_db(args) as db:
        res = enroll_school(db, args.setup, user=_user(args))
    emit(args, res, f"已用新的设置文件重新加入：{res['node_id']} → {res['parent_node_id']}（已生成新的密钥）")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from ..sync.publish import publish

    with open_db(args) as db:
        res = publish(db, args.out, school=args.school, user=_user(args), full=args.full)
    lines = [f"{b['file']}: {b['rows']} 行，转入学生 {b['arrivals']} 名 ({b['rows']} rows, {b['arrivals']} arriving "
             "students)" for b in res["bundles"]]
    lines += [f"  {e['school_code']}: {e['message']}" for e in res["errors"]]
    emit(args, res, "\n".join(lines) or "没有已加入的学校 (no enrolled school)")
    return 1 if res["errors"] else 0
