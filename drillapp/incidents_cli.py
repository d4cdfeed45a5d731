"""Real incidents on the command line (the current port): `drillapp incidents open|list|show|tick|log|escalate|
set-level|task|task-status|callout|arrive|report|handover|stand-down|print|review`.

`open` prints the numeric id (the port's number, e.g. QH-2026-007, is in `show`). Times given (`--alarm`, `--at`,
`--due`) are the port's local time, or ISO with an offset; times printed are the port's with their offset. An
edit reads the record's version a moment before it writes, as the command line shows nothing first.
`log verify --incident ID` checks the incident's hash chain (runs_cli.py).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from drillapp.clock import iso
from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import ActionStatus, Agency, ItemState, LogKind, ReportKind
from drillapp.runs_cli import STATES, _at, _plan_id

CATEGORIES = {"decision": LogKind.DECISION, "action": LogKind.ACTION, "information": LogKind.INFORMATION,
              "communication": LogKind.COMMUNICATION, "report": LogKind.REPORT}
BRANCHES = [a.value for a in Agency]
REPORT_FIELDS = ("occurred", "place", "nature", "casualties", "measures", "resources", "next_steps", "reporter")


def add_parser(sub: Any) -> None:
    inc = sub.add_parser("incidents", help="real incidents: open, show, tick, log, escalate, tasks, reports, hand-over, "
                         "stand down")
    s = inc.add_subparsers(dest="incidents_command", required=True,
                           metavar="<open|list|show|tick|log|escalate|task|task-status|callout|arrive|report|handover|"
                                   "stand-down|print|review>")
    op = s.add_parser("open", help="activate a plan at a level (or none: the generic checklist); prints the id")
    op.add_argument("--plan", metavar="ID|CODE", help="the plan (its approved version applies); none: generic")
    op.add_argument("--level", type=int, choices=[1, 2, 3, 4])
    op.add_argument("--title", required=True, metavar="T")
    op.add_argument("--alarm", metavar="ISO", help="when the alarm was given, if earlier than now")
    op.add_argument("--location", default="", metavar="T")
    op.add_argument("--description", default="", metavar="T", help="the first description")
    lst = s.add_parser("list", help="the port's incidents, newest first")
    lst.add_argument("--json", action="store_true")
    lst.add_argument("--active", action="store_true", help="only those not stood down")
    show = s.add_parser("show", help="the incident: level, checklist, tasks, reports due and issued, log")
    show.add_argument("incident", type=int, metavar="ID")
    show.add_argument("--json", action="store_true")
    tick = s.add_parser("tick", help="mark a checklist item done, not applicable, skipped (--note: why) or open")
    tick.add_argument("incident", type=int, metavar="ID")
    tick.add_argument("item", type=int, metavar="ITEM_ID")
    tick.add_argument("--state", choices=sorted(STATES), default="done")
    tick.add_argument("--note", default="", metavar="T")
    tick.add_argument("--at", metavar="ISO", help="when it happened, if earlier")
    log = s.add_parser("log", help="add a line to the incident log (never edited: --corrects makes a correction)")
    log.add_argument("incident", type=int, metavar="ID")
    log.add_argument("text", metavar="TEXT")
    log.add_argument("--category", choices=sorted(CATEGORIES), default="information")
    log.add_argument("--branch", choices=BRANCHES, metavar="B", help="the branch: " + ", ".join(BRANCHES))
    log.add_argument("--at", metavar="ISO", help="when it happened, if earlier")
    log.add_argument("--corrects", type=int, metavar="ENTRY_ID", help="the earlier entry this one corrects")
    for name in ("escalate", "set-level"):
        lvl = s.add_parser(name, help="move the response level up or down, with the reason")
        lvl.add_argument("incident", type=int, metavar="ID")
        lvl.add_argument("--level", type=int, choices=[1, 2, 3, 4], required=True)
        lvl.add_argument("--reason", required=True, metavar="T")
    task = s.add_parser("task", help="give a task beyond the plan to a branch; prints the task's id")
    task.add_argument("incident", type=int, metavar="ID")
    task.add_argument("--branch", required=True, metavar="B", help="agency code (" + ", ".join(BRANCHES)
                      + ") or the branch's name")
    task.add_argument("--text", required=True, metavar="T")
    task.add_argument("--person", default="", metavar="NAME")
    task.add_argument("--due", metavar="ISO")
    ts = s.add_parser("task-status", help="move a task on")
    ts.add_argument("task", type=int, metavar="TASK_ID")
    ts.add_argument("--status", required=True, choices=[a.value for a in ActionStatus])
    rep = s.add_parser("report", help="draft a report from the log and state, issue it (numbered, frozen, logged) "
                       "and print it")
    rep.add_argument("incident", type=int, metavar="ID")
    rep.add_argument("--kind", required=True, choices=[k.value for k in ReportKind])
    rep.add_argument("--out", type=Path, metavar="FILE.pdf")
    rep.add_argument("--set", action="append", default=[], metavar="FIELD=TEXT",
                     help="replace a drafted field before issuing: " + ", ".join(REPORT_FIELDS))
    rep.add_argument("--draft", action="store_true", help="keep it a draft (print it marked DRAFT)")
    ho = s.add_parser("handover", help="print the hand-over sheet and log the hand-over naming both officers")
    ho.add_argument("incident", type=int, metavar="ID")
    ho.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    ho.add_argument("--to", dest="to_officer", required=True, metavar="NAME", help="the next duty officer")
    ho.add_argument("--from", dest="from_officer", default="", metavar="NAME", help="(default: you)")
    ho.add_argument("--note", default="", metavar="T")
    sd = s.add_parser("stand-down", help="stand the incident down (its checklist and log close)")
    sd.add_argument("incident", type=int, metavar="ID")
    sd.add_argument("--summary", required=True, metavar="T")
    co = s.add_parser("callout", help="call the team out for the incident (the call-out engine; its start, arrivals "
                      "and end go into the incident's log); prints the call-out's id")
    co.add_argument("incident", type=int, metavar="ID")
    co.add_argument("--member", type=int, action="append", metavar="MEMBER_ID",
                    help="a member to call (repeat; default: the team on call now by the published roster, else the "
                    "port's whole active team)")
    co.add_argument("--required", type=int, metavar="N", help="how many must arrive (default: all called)")
    ar = s.add_parser("arrive", help="record a called member's arrival on scene")
    ar.add_argument("callout", type=int, metavar="CALLOUT_ID")
    ar.add_argument("member", type=int, metavar="MEMBER_ID")
    pr = s.add_parser("print", help="the incident record (facts, reports, actions against targets, tasks, timeline) "
                      "as PDF")
    pr.add_argument("incident", type=int, metavar="ID")
    pr.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    rv = s.add_parser("review", help="the after-action review of a stood-down incident (made now if none); prints "
                      "its id")
    rv.add_argument("incident", type=int, metavar="ID")


def _show(world: Any, args: argparse.Namespace) -> int:
    snap = world.services.incidents.snapshot(args.incident, log_limit=None)
    items = [{"id": i.row.id, "agency": i.row.agency.value, "phase": i.row.phase.value if i.row.phase else None,
              "level": i.row.action_level, "text": i.row.text, "target_minutes": i.row.target_minutes,
              "due_at": iso(i.due_at), "state": i.row.state.value, "done_at": iso(i.row.done_at),
              "recorded_at": iso(i.row.recorded_at), "done_by": i.row.done_by, "not_required": i.not_required,
              "report_due": i.row.report_due.value if i.row.report_due else None, "note": i.row.note,
              "reason": i.row.reason} for i in snap.items]
    tasks = [{"id": t.id, "branch": t.agency.value, "person": t.assignee, "text": t.text, "status": t.status.value,
              "due_at": iso(t.due_at), "done_at": iso(t.done_at)} for t in snap.tasks]
    reports = [{"id": r.id, "kind": r.kind.value, "status": r.status.value, "number": r.number,
                "issued_at": iso(r.issued_at), "hash": r.content_hash or None} for r in snap.reports]
    dues = [{"kind": d.kind.value, "due_at": iso(d.due_at), "issued_number": d.issued_number,
             "issued_at": iso(d.issued_at)} for d in snap.dues]
    nxt = snap.next_report
    shift = world.services.oncall.current_shift(port_id=snap.port_id) if snap.active else None
    on_call = [{"member_id": m.member_id, "name": m.name, "branch": m.agency.value, "squad": m.squad,
                "leader": m.leader, "mobile": m.mobile, "phone": m.phone} for m in (shift.members if shift else ())]
    called = [{"name": c.name, "branch": c.agency.value, "mobile": c.mobile, "acknowledged_at": iso(c.acknowledged_at),
               "arrived_at": iso(c.arrived_at)} for c in snap.called]
    log = [{"id": e.id, "at": iso(e.at), "recorded_at": iso(e.recorded_at), "author": e.author,
            "category": e.kind.value, "branch": e.agency.value if e.agency else None, "text": e.text,
            "corrects": e.corrects_id} for e in snap.log]
    if args.json:
        print(json.dumps({"id": snap.id, "number": snap.number, "real": True, "title": snap.title,
                          "status": snap.status.value, "level": snap.level, "plan": snap.plan_code or None,
                          "plan_version": snap.plan_version, "alarm_at": iso(snap.alarm_at),
                          "opened_at": iso(snap.opened_at), "closed_at": iso(snap.closed_at),
                          "location": snap.location, "description": snap.description, "summary": snap.summary,
                          "items": items, "tasks": tasks, "reports": reports, "reports_due": dues,
                          "on_call": on_call, "called": called,
                          "next_report": None if nxt is None else {"kind": nxt.kind.value, "due_at": iso(nxt.due_at)},
                          "log": log}, ensure_ascii=False, indent=1))
        return 0
    print(f"{snap.id}\t{snap.number}\t实战/REAL\t{snap.title}\t{label(snap.status)}\tlevel {snap.level or '-'}\t"
          f"{iso(snap.alarm_at)}")
    for i in items:
        mark = " (" + _("not required at this level") + ")" if i["not_required"] else ""
        print(f"{i['id']}\t{label(Agency(i['agency']))}\t{i['state']}\t{i['due_at'] or ''}\t{i['text']}{mark}")
    for t in tasks:
        print(f"task {t['id']}\t{label(Agency(t['branch']))}\t{t['person']}\t{t['status']}\t{t['due_at'] or ''}\t"
              f"{t['text']}")
    if nxt is not None:
        print(_("Next report: {kind} due {time}").format(kind=label(nxt.kind), time=iso(nxt.due_at) or "—"))
    for e in log:
        print(f"{e['at']}\t{e['author']}\t{e['category']}\t{e['text']}")
    return 0


def _report(world: Any, args: argparse.Namespace) -> int:
    from drillapp.models import IncidentReport
    from drillapp.services.errors import ValidationError

    incidents = world.services.incidents
    report_id = incidents.draft_report(args.incident, ReportKind(args.kind))
    fields = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or name not in REPORT_FIELDS:
            raise ValidationError(_("--set takes FIELD=TEXT, FIELD one of {fields}.").format(
                fields=", ".join(REPORT_FIELDS)), "set")
        fields[name] = value
    if fields:
        incidents.update_report(report_id, expected_version=incidents.version_of(IncidentReport, report_id), **fields)
    if not args.draft:
        number = incidents.issue_report(report_id, expected_version=incidents.version_of(IncidentReport, report_id))
        print(_("Report {id} issued as number {number}.").format(id=report_id, number=number))
    else:
        print(_("Report {id} drafted.").format(id=report_id))
    if args.out is not None:
        from drillapp.reports import incident_pdf

        out = incident_pdf.write_report(incidents.report_document(report_id), args.out)
        print(_("Report printed to {path}").format(path=out))
    return 0


def _handover(world: Any, args: argparse.Namespace) -> int:
    from drillapp.reports import incident_pdf

    incidents = world.services.incidents
    incidents.hand_over(args.incident, args.to_officer, from_officer=args.from_officer, note=args.note)
    actor = world.services.actor
    out = incident_pdf.write_handover(incidents.handover_sheet(args.incident), args.out,
                                      from_officer=args.from_officer or actor.display_name or actor.username,
                                      to_officer=args.to_officer, now=world.services.clock())
    print(_("Hand-over sheet printed to {path}").format(path=out))
    return 0


def run(world: Any, args: argparse.Namespace) -> int:
    from drillapp.models import ChecklistEntry, Incident, IncidentTask
    from drillapp.services.errors import NotFoundError

    incidents, command = world.services.incidents, args.incidents_command
    if command == "open":
        plan_id = _plan_id(world, args.plan) if args.plan else None
        print(incidents.open_incident(None, args.title, plan_id=plan_id, level=args.level, alarm_at=_at(args.alarm),
                                      location=args.location, description=args.description))
    elif command == "list":
        rows = incidents.incidents(active_only=args.active)
        if args.json:
            print(json.dumps([{"id": r.id, "number": r.number, "title": r.title, "status": r.status.value,
                               "level": r.level, "plan": r.plan_code or None, "alarm_at": iso(r.alarm_at),
                               "closed_at": iso(r.closed_at)} for r in rows], ensure_ascii=False, indent=1))
        else:
            for r in rows:
                print(f"{r.id}\t{r.number}\t{label(r.status)}\t{r.level or '-'}\t{iso(r.alarm_at)}\t{r.title}")
    elif command == "show":
        return _show(world, args)
    elif command == "tick":
        if args.item not in {i.row.id for i in incidents.snapshot(args.incident, log_limit=1).items}:
            raise NotFoundError(_("Item {item} is not on the checklist of incident {id}.").format(
                item=args.item, id=args.incident))
        runs, state = world.services.runs, STATES[args.state]
        result = runs.tick(args.item, state, note="" if state is ItemState.SKIPPED else args.note,
                           reason=args.note if state is ItemState.SKIPPED else "", happened_at=_at(args.at),
                           expected_version=runs.version_of(ChecklistEntry, args.item))
        print(_("Item {item}: {state} at {time}").format(item=args.item, state=args.state,
                                                          time=iso(result.happened_at or result.recorded_at)))
    elif command == "log":
        print(world.services.runs.add_log_entry(
            args.text, incident_id=args.incident, kind=CATEGORIES[args.category],
            agency=Agency(args.branch) if args.branch else None, happened_at=_at(args.at), corrects_id=args.corrects))
    elif command in ("escalate", "set-level"):
        gained = incidents.set_level(args.incident, args.level, args.reason,
                                     expected_version=incidents.version_of(Incident, args.incident))
        print(_("Incident {id} is at level {level}; {count} actions added.").format(
            id=args.incident, level=args.level, count=len(gained)))
    elif command == "task":
        print(incidents.add_task(args.incident, args.branch, args.text, assignee=args.person, due_at=_at(args.due)))
    elif command == "task-status":
        incidents.set_task_status(args.task, ActionStatus(args.status),
                                  expected_version=incidents.version_of(IncidentTask, args.task))
        print(_("Task {id}: {status}").format(id=args.task, status=args.status))
    elif command == "report":
        return _report(world, args)
    elif command == "handover":
        return _handover(world, args)
    elif command == "stand-down":
        incidents.stand_down(args.incident, args.summary)
        print(_("Incident {id} stood down.").format(id=args.incident))
    elif command == "callout":
        port_id = incidents.snapshot(args.incident, log_limit=1).port_id
        members = args.member
        if not members:  # the on-call team now (the published roster), else the whole active team
            shift = world.services.oncall.current_shift(port_id=port_id)
            members = [m.member_id for m in shift.members] if shift and shift.members else None
        print(world.services.callouts.start_test(port_id, members, required_strength=args.required,
                                                 incident_id=args.incident))
    elif command == "arrive":
        world.services.callouts.arrive(args.callout, args.member)
        print(_("Member {member} arrived.").format(member=args.member))
    elif command == "print":
        from drillapp.reports import incident_pdf

        out = incident_pdf.write_record(incidents.record(args.incident), args.out)
        print(_("Incident record printed to {path}").format(path=out))
    elif command == "review":
        print(world.services.reviews.create_from_incident(args.incident))
    return 0
