"""Shared test data for templates, chasing and summaries: a seeded database with periods, returns and entries.

Inserted directly (no importer): 省工业和信息化厅 leads ZD01–ZD03, JH01 and JH03 and has a current 2025-Q3
return with unresolved warnings; 省发展改革委 leads ZD04–ZD05 and has not returned; 省通信管理局 owns
ZB01–ZB04 and has a clean return.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage.db import Database
from app.storage.models import (
    Department,
    Indicator,
    Milestone,
    ProgrammeMember,
    ProgressEntry,
    Project,
    ReportingPeriod,
    Return,
)
from tests.first_portfolio import keep_first_portfolio
from tests.supervision_helpers import clear_task_parts

INDUSTRY = "省工业和信息化厅"
REFORM = "省发展改革委"
TELECOM = "省通信管理局"
DUE_Q3 = date(2025, 10, 15)
INJECTIONS = ('=HYPERLINK("http://example.com","点我")', "+1 用地未批", "-请协调电力增容", "@SUM(A1:A2)", "=1+1")


@dataclass
class Scenario:
    q2_id: int
    q3_id: int
    industry_q3_return: int


def _dept(s: Session, name: str) -> Department:
    return s.scalars(select(Department).where(Department.name == name)).one()


def _project(s: Session, code: str) -> Project:
    return s.scalars(select(Project).where(Project.code == code)).one()


def _period(s: Session, key: str, start: date, end: date, label: str, due: date | None) -> ReportingPeriod:
    p = ReportingPeriod(key=key, kind="quarter", start=start, end=end, label=label, due_date=due)
    s.add(p)
    s.flush()
    return p


def _return(s: Session, dept: Department, period: ReportingPeriod, name: str, **kw: object) -> Return:
    r = Return(
        department_id=dept.id,
        period_id=period.id,
        file_name=name,
        sha256=name.encode().hex()[:64].ljust(64, "0"),
        imported_at=kw.pop("imported_at", datetime(2025, 10, 9, 10, 30)),  # type: ignore[arg-type]
        imported_by="test",
        **kw,
    )
    s.add(r)
    s.flush()
    return r


def _entry(s: Session, project: Project, period: ReportingPeriod, ret: Return | None, **kw: object) -> None:
    s.add(ProgressEntry(project_id=project.id, period_id=period.id, return_id=ret.id if ret else None, **kw))


def build_scenario(db: Database) -> Scenario:
    """Fill the seeded database with the scenario described in the module docstring."""
    clear_task_parts(db)  # the scenario is about projects: only the three departments below owe a return
    keep_first_portfolio(db)
    with db.session() as s:
        industry, reform, telecom = _dept(s, INDUSTRY), _dept(s, REFORM), _dept(s, TELECOM)
        industry.contact_person, industry.contact_phone = "张三", "0431-88880001"
        reform.contact_person, reform.contact_phone = "李四", "0431-88880002"
        telecom.contact_person, telecom.contact_phone = "王五", "0431-88880003"
        planned = {"ZD01": 50000.0, "ZD02": 30000.0, "ZD03": None, "ZD04": 20000.0, "ZD05": 12345.5}
        for code, amount in planned.items():
            p = _project(s, code)
            p.lead_department_id = (industry if code <= "ZD03" else reform).id
            p.planned_investment = amount
        for code in ("JH01", "JH03"):
            _project(s, code).lead_department_id = industry.id
        for ind in s.scalars(select(Indicator).where(Indicator.code.in_(["ZB01", "ZB02", "ZB03", "ZB04"]))):
            ind.responsible_department_id = telecom.id
        zd01, zd02 = _project(s, "ZD01"), _project(s, "ZD02")
        s.add(Milestone(project_id=zd01.id, name="主体开工", planned_date=date(2025, 3, 1), sort_order=0))
        s.add(
            Milestone(
                project_id=zd01.id,
                name="竣工验收",
                planned_date=date(2026, 6, 30),
                actual_date=None,
                sort_order=1,
            )
        )
        q2 = _period(s, "2025-Q2", date(2025, 4, 1), date(2025, 6, 30), "2025年第二季度", date(2025, 7, 15))
        q3 = _period(s, "2025-Q3", date(2025, 7, 1), date(2025, 9, 30), "2025年第三季度", DUE_Q3)
        # Q2: an earlier return superseded by a corrected one; only the corrected figures count.
        newer = _return(s, industry, q2, "工信厅_Q2_更正.xlsx")
        older = _return(s, industry, q2, "工信厅_Q2.xlsx", superseded_by_id=newer.id)
        _entry(s, zd01, q2, older, investment_cumulative=900.0, progress_pct=15.0)
        _entry(s, zd01, q2, newer, investment_cumulative=1000.0, progress_pct=20.0, progress_text="二季度进展")
        _entry(s, zd02, q2, newer, investment_cumulative=500.0, progress_pct=10.0)
        # Q3: industry returned with unresolved warnings; telecom returned clean; reform has not returned.
        ret = _return(s, industry, q3, "省工业和信息化厅_2025年第三季度.xlsx", warning_count=2, warnings_resolved=False)
        _entry(
            s,
            zd01,
            q3,
            ret,
            investment_period=300.0,
            investment_cumulative=1300.0,
            progress_pct=35.0,
            progress_text=INJECTIONS[0],
            problems=INJECTIONS[1],
            coordination_needed=INJECTIONS[2],
        )
        _entry(
            s,
            zd02,
            q3,
            ret,
            investment_period=120.5,
            investment_cumulative=620.5,
            progress_pct=12.0,
            progress_text=INJECTIONS[3],
            problems=INJECTIONS[4],
        )
        _return(s, telecom, q3, "通信管理局.xlsx", imported_at=datetime(2025, 10, 12, 9, 0))
        jh01, jh03 = _project(s, "JH01"), _project(s, "JH03")
        s.add(ProgrammeMember(project_id=jh01.id, name="长春新区试验区", year_counted=2024, source="省工信厅"))
        s.add(ProgrammeMember(project_id=jh01.id, name="=吉林市试验区", year_counted=2025, source="省工信厅"))
        s.add(ProgrammeMember(project_id=jh01.id, name="被撤回的试验区", year_counted=2025, return_id=older.id))
        s.add(ProgrammeMember(project_id=jh01.id, name="明年的试验区", year_counted=2026))
        # The same zone reported again by another return: listed, flagged, counted once.
        s.add(ProgrammeMember(project_id=jh01.id, name="长春新区 试验区", year_counted=2025, source="省发展改革委"))
        for year, n in ((2024, 2), (2025, 3)):
            for i in range(n):
                s.add(
                    ProgrammeMember(
                        project_id=jh03.id,
                        name=f"吉林智慧企业{year}-{i + 1}",
                        credit_code=f"91220101MA00000{year % 100:02d}{i}",
                        year_counted=year,
                    )
                )
        return Scenario(q2.id, q3.id, ret.id)


_PROFILE: Path | None = None


def _profile() -> Path:
    """One LibreOffice profile per test process: creating it costs seconds, sharing it across processes collides."""
    global _PROFILE
    if _PROFILE is None:
        _PROFILE = Path(tempfile.mkdtemp(prefix="taizhang-lo-"))
        atexit.register(shutil.rmtree, _PROFILE, ignore_errors=True)
    return _PROFILE


def soffice_convert(src: Path, fmt: str, out_dir: Path) -> Path:
    """Convert with LibreOffice headless, in this process's private profile."""
    return soffice_convert_all([src], fmt, out_dir)[0]


def soffice_convert_all(sources: list[Path], fmt: str, out_dir: Path) -> list[Path]:
    """Convert several files in one LibreOffice start (the start is most of a conversion's cost)."""
    profile = _profile() / "profile"
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, HOME=str(_profile()))
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(out_dir),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=120 + 30 * len(sources),
        env=env,
    )
    results = [out_dir / (src.stem + "." + fmt.split(":")[0]) for src in sources]
    for result in results:
        assert result.exists(), f"LibreOffice did not write {result}"
    return results
