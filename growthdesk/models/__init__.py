"""The data model (DESIGN §4) as SQLAlchemy 2.0 typed models. No Qt here."""

from .audit import AuditLog
from .base import Base, SyncMixin, new_uuid, utcnow
from .competitions import Competition, CompetitionResult, CompetitionResultMember
from .evaluations import ProcessEvaluation, Rubric, TermEvaluation
from .evidence import Evidence
from .meta import ImportLog, Setting, SyncExport, SyncPeer, SyncState
from .privacy import AccessLog
from .programmes import (Programme, ProgrammeEvaluation, ProgrammeLogEntry, ProgrammeMember,
                         ProgrammeMentor, ProgrammeNomination)
from .projects import InnovationProject, ProjectLogEntry, ProjectMember, ProjectMentor, ProjectOutcome
from .review import (Amendment, ArchiveItem, HeldChange, Objection, PublicityPeriod, ReviewMixin,
                     SelfRecord, SignOff)
from .school import Enrollment, School, SchoolClass, Student, Term
from .stats import SummaryCell, SummaryScore, SummaryState
from .users import TeachingAssignment, User

# Tables whose rows travel in bundles, parents before children (the order import applies them).
SYNCED_MODELS = [SchoolClass, Student, Enrollment, Competition, InnovationProject, ProjectMember,
                 ProjectMentor, ProjectLogEntry, ProjectOutcome, CompetitionResult,
                 CompetitionResultMember, ProcessEvaluation, TermEvaluation, Evidence,
                 SelfRecord, ArchiveItem, PublicityPeriod, Objection, SignOff, Amendment,
                 Programme, ProgrammeMentor, ProgrammeNomination, ProgrammeMember, ProgrammeLogEntry,
                 ProgrammeEvaluation]

__all__ = [m.__name__ for m in SYNCED_MODELS] + [
    "AccessLog", "AuditLog", "Base", "HeldChange", "ReviewMixin", "SyncMixin", "new_uuid", "utcnow", "ImportLog", "Setting",
    "SyncExport", "SyncPeer", "SyncState",
    "Rubric", "School", "SummaryCell", "SummaryScore", "SummaryState", "Term", "TeachingAssignment", "User", "SYNCED_MODELS"]
