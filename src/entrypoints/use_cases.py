"""The use cases of each context, as dependency-injector sub-containers.

They name application classes only; `container.py` hands them their ports. Every `Singleton`
here is a use case, injected into HTTP handlers under its provider name."""

from dependency_injector import containers, providers

from application.accounts.audit import RecordAudit, SearchAudit
from application.accounts.sessions import Authenticate, Login, Logout, RefreshSession, SessionIssuer
from application.accounts.users import CreateUser, GetUser, ListUsers, ResetPassword, UpdateUser
from application.backups.backups import (
    BackUpNow,
    DownloadBackup,
    GetBackup,
    ListBackups,
    RunBackup,
    StartBackup,
)
from application.backups.restore import RestoreBackup
from application.bookings.allocation import AllocateBooking, ResumeAllocations
from application.bookings.bookings import (
    CancelBooking,
    GetAvailability,
    GetBooking,
    ListBookings,
)
from application.bookings.closures import GetClosure, LiftClosure, ListClosures, PlaceClosure
from application.bookings.notices import BookingChanges
from application.bookings.operations import CheckInBooking, CheckOutBooking, MoveBooking
from application.bookings.reports import GetOccupancyReport
from application.bookings.requests import RequestBooking
from application.bookings.waitlist import ExpireHolds, OfferBeds, OfferFreedBed
from application.directory.sync import GetSyncRun, ListSyncRuns, RunSync, StartSync, SyncNow
from application.events.subscriptions import AuthorizeSubscription
from application.housing.beds import AddBed, GetBed, ListBeds, RemoveBed, UpdateBed
from application.housing.buildings import (
    CreateBuilding,
    DeleteBuilding,
    GetBuilding,
    ListBuildings,
    UpdateBuilding,
)
from application.housing.demo import SeedDemoCampus
from application.housing.residents import (
    DeleteResident,
    GetResident,
    ListResidents,
    RegisterResident,
    UpdateResident,
)
from application.housing.rooms import CreateRoom, DeleteRoom, GetRoom, ListRooms, UpdateRoom
from application.housing.terms import CreateTerm, DeleteTerm, GetTerm, ListTerms, UpdateTerm
from application.imports.reads import (
    ExportRejectedRows,
    GetImport,
    GetTaskStatus,
    ListImportProblems,
    ListImports,
)
from application.imports.resume import ResumeImports
from application.imports.run import RunImport
from application.imports.start import StartImport
from application.jobs.jobs import GetJob
from application.jobs.reporter import JobReporter
from application.maintenance.changes import MaintenanceChanges
from application.maintenance.closures import CloseForRepair
from application.maintenance.housekeeping import CloseResolvedRequests, EscalateOverdue
from application.maintenance.reports import MaintenanceReport
from application.maintenance.requests import GetRequest, ListRequests, SubmitRequest
from application.maintenance.schedules import (
    CreateSchedule,
    DeleteSchedule,
    GeneratePreventiveWork,
    GetSchedule,
    ListSchedules,
    PreviewOccurrences,
    UpdateSchedule,
)
from application.maintenance.technicians import (
    CreateTechnician,
    DeleteTechnician,
    GetTechnician,
    ListTechnicians,
    TechnicianQueue,
    UpdateTechnician,
)
from application.maintenance.transitions import (
    AssignRequest,
    CancelRequest,
    CloseRequest,
    HoldWork,
    RateWork,
    ResolveRequest,
    ResumeWork,
    StartWork,
)
from application.maintenance.triage import ResumeTriage, TriageRequest
from application.notifications.announcements import (
    FanOutAnnouncement,
    GetAnnouncement,
    ListAnnouncements,
    PublishAnnouncement,
    ResumeAnnouncements,
)
from application.notifications.relay import RelayNotifications
from application.payments.offline import ListPayments, RecordOfflinePayment
from application.payments.reminders import WarnExpiringHolds
from application.payments.sandbox import CompleteSandboxCheckout, GetSandboxCheckout
from application.payments.webhook import HandlePaymentWebhook
from application.shared.idempotency import IdempotentRequests, PurgeIdempotencyKeys
from application.system.figures import ReadOperationalFigures
from application.system.health import CheckReadiness
from application.voters.voters import (
    DeleteVoter,
    ExportVoters,
    GetVoter,
    GetVoterStats,
    ListVoters,
    UpdateVoter,
)


class HousingUseCases(containers.DeclarativeContainer):
    uow = providers.Dependency()
    queries = providers.Dependency()
    clock = providers.Dependency()
    bookings = providers.Dependency()

    create_building = providers.Singleton(CreateBuilding, uow=uow, queries=queries)
    update_building = providers.Singleton(UpdateBuilding, uow=uow, queries=queries)
    delete_building = providers.Singleton(DeleteBuilding, uow=uow)
    get_building = providers.Singleton(GetBuilding, queries=queries)
    list_buildings = providers.Singleton(ListBuildings, queries=queries)

    create_room = providers.Singleton(CreateRoom, uow=uow, queries=queries)
    update_room = providers.Singleton(UpdateRoom, uow=uow, queries=queries)
    delete_room = providers.Singleton(DeleteRoom, uow=uow, bookings=bookings)
    get_room = providers.Singleton(GetRoom, queries=queries)
    list_rooms = providers.Singleton(ListRooms, queries=queries)

    add_bed = providers.Singleton(AddBed, uow=uow)
    update_bed = providers.Singleton(UpdateBed, uow=uow)
    remove_bed = providers.Singleton(RemoveBed, uow=uow, bookings=bookings)
    get_bed = providers.Singleton(GetBed, queries=queries)
    list_beds = providers.Singleton(ListBeds, queries=queries)

    register_resident = providers.Singleton(RegisterResident, uow=uow, queries=queries, clock=clock)
    update_resident = providers.Singleton(UpdateResident, uow=uow, queries=queries, clock=clock)
    delete_resident = providers.Singleton(DeleteResident, uow=uow, bookings=bookings)
    get_resident = providers.Singleton(GetResident, queries=queries)
    list_residents = providers.Singleton(ListResidents, queries=queries)

    create_term = providers.Singleton(CreateTerm, uow=uow, queries=queries)
    update_term = providers.Singleton(UpdateTerm, uow=uow, queries=queries)
    delete_term = providers.Singleton(DeleteTerm, uow=uow)
    get_term = providers.Singleton(GetTerm, queries=queries)
    list_terms = providers.Singleton(ListTerms, queries=queries)

    seed_demo_campus = providers.Singleton(
        SeedDemoCampus,
        create_building=create_building,
        create_room=create_room,
        register_resident=register_resident,
        create_term=create_term,
        queries=queries,
    )


class SystemUseCases(containers.DeclarativeContainer):
    probes = providers.Dependency()
    figure_store = providers.Dependency()
    queue_gauge = providers.Dependency()

    check_readiness = providers.Singleton(CheckReadiness, probes=probes)
    read_operational_figures = providers.Singleton(
        ReadOperationalFigures, store=figure_store, queue=queue_gauge
    )


class AccountsUseCases(containers.DeclarativeContainer):
    uow = providers.Dependency()
    queries = providers.Dependency()
    hasher = providers.Dependency()
    codec = providers.Dependency()
    throttle = providers.Dependency()
    audit_log = providers.Dependency()
    residents = providers.Dependency()
    clock = providers.Dependency()
    token_policy = providers.Dependency()
    notifier = providers.Dependency()

    # A Factory, not a Singleton: it is a helper of two use cases, not a use case itself.
    session_issuer = providers.Factory(SessionIssuer, codec=codec, clock=clock, policy=token_policy)

    login = providers.Singleton(
        Login, uow=uow, hasher=hasher, throttle=throttle, issuer=session_issuer
    )
    refresh_session = providers.Singleton(
        RefreshSession, uow=uow, issuer=session_issuer, clock=clock
    )
    logout = providers.Singleton(Logout, uow=uow, codec=codec, clock=clock)
    authenticate = providers.Singleton(Authenticate, queries=queries, codec=codec)

    create_user = providers.Singleton(
        CreateUser, uow=uow, hasher=hasher, queries=queries, residents=residents, notifier=notifier
    )
    update_user = providers.Singleton(UpdateUser, uow=uow, queries=queries, clock=clock)
    reset_password = providers.Singleton(
        ResetPassword, uow=uow, hasher=hasher, clock=clock, notifier=notifier
    )
    get_user = providers.Singleton(GetUser, queries=queries)
    list_users = providers.Singleton(ListUsers, queries=queries)

    record_audit = providers.Singleton(RecordAudit, audit_log=audit_log, clock=clock)
    search_audit = providers.Singleton(SearchAudit, audit_log=audit_log)


class JobsUseCases(containers.DeclarativeContainer):
    jobs = providers.Dependency()
    events = providers.Dependency()
    clock = providers.Dependency()

    # A Factory, not a Singleton: what tasks report through, not a use case of the API.
    job_reporter = providers.Factory(JobReporter, jobs=jobs, events=events, clock=clock)
    get_job = providers.Singleton(GetJob, jobs=jobs)


class EventsUseCases(containers.DeclarativeContainer):
    jobs = providers.Dependency()

    authorize_subscription = providers.Singleton(AuthorizeSubscription, jobs=jobs)


class NotificationsUseCases(containers.DeclarativeContainer):
    uow = providers.Dependency()
    mailer = providers.Dependency()
    sms_sender = providers.Dependency()
    clock = providers.Dependency()
    announcements_uow = providers.Dependency()
    announcement_queries = providers.Dependency()
    audience = providers.Dependency()
    notifier = providers.Dependency()
    job_reporter = providers.Dependency()
    tasks = providers.Dependency()

    relay_notifications = providers.Singleton(
        RelayNotifications, uow=uow, mailer=mailer, sms_sender=sms_sender, clock=clock
    )
    publish_announcement = providers.Singleton(
        PublishAnnouncement,
        uow=announcements_uow,
        directory=audience,
        jobs=job_reporter,
        tasks=tasks,
        clock=clock,
    )
    fan_out_announcement = providers.Singleton(
        FanOutAnnouncement,
        uow=announcements_uow,
        directory=audience,
        notifier=notifier,
        jobs=job_reporter,
        clock=clock,
    )
    resume_announcements = providers.Singleton(
        ResumeAnnouncements, uow=announcements_uow, fan_out=fan_out_announcement
    )
    get_announcement = providers.Singleton(GetAnnouncement, queries=announcement_queries)
    list_announcements = providers.Singleton(ListAnnouncements, queries=announcement_queries)


class ImportsUseCases(containers.DeclarativeContainer):
    uow = providers.Dependency()
    reader = providers.Dependency()
    jobs = providers.Dependency()
    job_reporter = providers.Dependency()
    tasks = providers.Dependency()
    clock = providers.Dependency()
    accounts = providers.Dependency()
    notifier = providers.Dependency()
    site = providers.Dependency()
    stalled_after = providers.Dependency()

    start_import = providers.Singleton(
        StartImport,
        uow=uow,
        reader=reader,
        jobs=job_reporter,
        tasks=tasks,
        clock=clock,
        accounts=accounts,
    )
    run_import = providers.Singleton(
        RunImport,
        uow=uow,
        reader=reader,
        jobs=job_reporter,
        notifier=notifier,
        clock=clock,
        site=site,
    )
    get_import = providers.Singleton(GetImport, uow=uow, jobs=jobs)
    list_imports = providers.Singleton(ListImports, uow=uow, jobs=jobs)
    list_import_problems = providers.Singleton(ListImportProblems, uow=uow)
    get_task_status = providers.Singleton(GetTaskStatus, uow=uow, jobs=jobs)
    export_rejected_rows = providers.Singleton(ExportRejectedRows, uow=uow)
    resume_imports = providers.Singleton(
        ResumeImports,
        uow=uow,
        jobs=jobs,
        run=run_import,
        tasks=tasks,
        clock=clock,
        stalled_after=stalled_after,
    )


class BookingsUseCases(containers.DeclarativeContainer):
    uow = providers.Dependency()
    facts = providers.Dependency()
    queries = providers.Dependency()
    job_reporter = providers.Dependency()
    tasks = providers.Dependency()
    events = providers.Dependency()
    clock = providers.Dependency()
    hold_for = providers.Dependency()
    idempotency = providers.Dependency()
    notifier = providers.Dependency()
    closures_uow = providers.Dependency()
    closure_queries = providers.Dependency()
    occupancy = providers.Dependency()
    checkouts = providers.Dependency()

    # A Factory, not a Singleton: a helper of the use cases below, not a use case itself.
    changes = providers.Factory(
        BookingChanges, uow=uow, facts=facts, notifier=notifier, events=events, checkouts=checkouts
    )

    # Not a use case, but what the request handler runs a booking request under.
    idempotent_requests = providers.Singleton(IdempotentRequests, store=idempotency, clock=clock)

    request_booking = providers.Singleton(
        RequestBooking, uow=uow, facts=facts, jobs=job_reporter, tasks=tasks, clock=clock
    )
    allocate_booking = providers.Singleton(
        AllocateBooking,
        uow=uow,
        facts=facts,
        jobs=job_reporter,
        changes=changes,
        clock=clock,
        hold_for=hold_for,
    )
    resume_allocations = providers.Singleton(
        ResumeAllocations, uow=uow, allocate=allocate_booking, clock=clock
    )
    offer_freed_bed = providers.Singleton(
        OfferFreedBed, uow=uow, facts=facts, changes=changes, clock=clock, hold_for=hold_for
    )
    expire_holds = providers.Singleton(
        ExpireHolds, uow=uow, changes=changes, clock=clock, offers=offer_freed_bed
    )
    cancel_booking = providers.Singleton(
        CancelBooking, uow=uow, changes=changes, tasks=tasks, clock=clock
    )
    get_booking = providers.Singleton(GetBooking, queries=queries, uow=uow)
    list_bookings = providers.Singleton(ListBookings, queries=queries)
    get_availability = providers.Singleton(GetAvailability, facts=facts)

    check_in_booking = providers.Singleton(CheckInBooking, uow=uow, changes=changes, clock=clock)
    check_out_booking = providers.Singleton(
        CheckOutBooking, uow=uow, changes=changes, tasks=tasks, clock=clock
    )
    move_booking = providers.Singleton(
        MoveBooking, uow=uow, closures=closure_queries, changes=changes, tasks=tasks, clock=clock
    )
    offer_beds = providers.Singleton(
        OfferBeds, uow=uow, facts=facts, changes=changes, clock=clock, hold_for=hold_for
    )
    place_closure = providers.Singleton(
        PlaceClosure,
        uow=closures_uow,
        queries=closure_queries,
        facts=facts,
        notifier=notifier,
        clock=clock,
    )
    lift_closure = providers.Singleton(
        LiftClosure, uow=closures_uow, queries=closure_queries, tasks=tasks
    )
    get_closure = providers.Singleton(GetClosure, queries=closure_queries)
    list_closures = providers.Singleton(ListClosures, queries=closure_queries)
    get_occupancy_report = providers.Singleton(GetOccupancyReport, queries=occupancy)


class VotersUseCases(containers.DeclarativeContainer):
    uow = providers.Dependency()
    queries = providers.Dependency()
    clock = providers.Dependency()

    list_voters = providers.Singleton(ListVoters, queries=queries)
    get_voter = providers.Singleton(GetVoter, queries=queries)
    get_voter_stats = providers.Singleton(GetVoterStats, queries=queries)
    export_voters = providers.Singleton(ExportVoters, queries=queries)
    update_voter = providers.Singleton(UpdateVoter, uow=uow, clock=clock)
    delete_voter = providers.Singleton(DeleteVoter, uow=uow)


class BackupsUseCases(containers.DeclarativeContainer):
    backups = providers.Dependency()
    snapshot = providers.Dependency()
    restorer = providers.Dependency()
    storage = providers.Dependency()
    job_reporter = providers.Dependency()
    tasks = providers.Dependency()
    clock = providers.Dependency()
    retention = providers.Dependency()

    start_backup = providers.Singleton(
        StartBackup, backups=backups, jobs=job_reporter, tasks=tasks, clock=clock
    )
    run_backup = providers.Singleton(
        RunBackup,
        backups=backups,
        snapshot=snapshot,
        storage=storage,
        jobs=job_reporter,
        clock=clock,
        retention=retention,
    )
    back_up_now = providers.Singleton(
        BackUpNow, backups=backups, jobs=job_reporter, run=run_backup, clock=clock
    )
    list_backups = providers.Singleton(ListBackups, backups=backups)
    get_backup = providers.Singleton(GetBackup, backups=backups)
    download_backup = providers.Singleton(DownloadBackup, backups=backups, storage=storage)
    restore_backup = providers.Singleton(RestoreBackup, restorer=restorer)


class DirectoryUseCases(containers.DeclarativeContainer):
    store = providers.Dependency()
    directory = providers.Dependency()
    job_reporter = providers.Dependency()
    tasks = providers.Dependency()
    notifier = providers.Dependency()
    clock = providers.Dependency()
    policy = providers.Dependency()

    start_sync = providers.Singleton(
        StartSync, store=store, directory=directory, jobs=job_reporter, tasks=tasks, clock=clock
    )
    run_sync = providers.Singleton(
        RunSync,
        store=store,
        directory=directory,
        jobs=job_reporter,
        notifier=notifier,
        clock=clock,
        policy=policy,
    )
    sync_now = providers.Singleton(
        SyncNow, store=store, directory=directory, jobs=job_reporter, run=run_sync, clock=clock
    )
    list_sync_runs = providers.Singleton(ListSyncRuns, store=store)
    get_sync_run = providers.Singleton(GetSyncRun, store=store)


class PaymentsUseCases(containers.DeclarativeContainer):
    uow = providers.Dependency()
    changes = providers.Dependency()
    checkouts = providers.Dependency()
    sandbox = providers.Dependency()
    clock = providers.Dependency()
    hold_for = providers.Dependency()
    verification = providers.Dependency()

    handle_payment_webhook = providers.Singleton(
        HandlePaymentWebhook, uow=uow, changes=changes, clock=clock, verification=verification
    )
    record_payment = providers.Singleton(
        RecordOfflinePayment, uow=uow, changes=changes, checkouts=checkouts, clock=clock
    )
    list_payments = providers.Singleton(ListPayments, uow=uow)
    warn_expiring_holds = providers.Singleton(
        WarnExpiringHolds, uow=uow, changes=changes, clock=clock, hold_for=hold_for
    )
    get_sandbox_checkout = providers.Singleton(GetSandboxCheckout, checkouts=sandbox)
    complete_sandbox_checkout = providers.Singleton(
        CompleteSandboxCheckout,
        checkouts=sandbox,
        webhook=handle_payment_webhook,
        clock=clock,
        verification=verification,
    )


class IdempotencyUseCases(containers.DeclarativeContainer):
    store = providers.Dependency()
    clock = providers.Dependency()
    retention = providers.Dependency()

    purge_idempotency_keys = providers.Singleton(
        PurgeIdempotencyKeys, store=store, clock=clock, retention=retention
    )


class MaintenanceUseCases(containers.DeclarativeContainer):
    uow = providers.Dependency()
    directory = providers.Dependency()
    queries = providers.Dependency()
    job_reporter = providers.Dependency()
    tasks = providers.Dependency()
    events = providers.Dependency()
    clock = providers.Dependency()
    notifier = providers.Dependency()
    policy = providers.Dependency()
    place_closure = providers.Dependency()

    # A Factory, not a Singleton: a helper of the use cases below, not a use case itself.
    maintenance_changes = providers.Factory(
        MaintenanceChanges, uow=uow, directory=directory, notifier=notifier, events=events
    )
    _steps = {"uow": uow, "changes": maintenance_changes, "clock": clock}

    submit_maintenance_request = providers.Singleton(
        SubmitRequest, uow=uow, directory=directory, jobs=job_reporter, tasks=tasks, clock=clock
    )
    get_maintenance_request = providers.Singleton(GetRequest, uow=uow)
    close_for_repair = providers.Singleton(
        CloseForRepair, uow=uow, place_closure=place_closure, clock=clock
    )
    list_maintenance_requests = providers.Singleton(ListRequests, queries=queries)
    triage_maintenance_request = providers.Singleton(
        TriageRequest,
        uow=uow,
        changes=maintenance_changes,
        jobs=job_reporter,
        clock=clock,
        policy=policy,
    )
    resume_maintenance_triage = providers.Singleton(
        ResumeTriage, uow=uow, triage=triage_maintenance_request, clock=clock
    )
    assign_maintenance_request = providers.Singleton(AssignRequest, **_steps)
    start_maintenance_work = providers.Singleton(StartWork, **_steps)
    hold_maintenance_work = providers.Singleton(HoldWork, **_steps)
    resume_maintenance_work = providers.Singleton(ResumeWork, **_steps)
    resolve_maintenance_request = providers.Singleton(ResolveRequest, **_steps)
    close_maintenance_request = providers.Singleton(CloseRequest, **_steps)
    cancel_maintenance_request = providers.Singleton(CancelRequest, **_steps)
    rate_maintenance_work = providers.Singleton(RateWork, **_steps)
    escalate_overdue_maintenance = providers.Singleton(EscalateOverdue, **_steps)
    close_resolved_maintenance = providers.Singleton(CloseResolvedRequests, **_steps, policy=policy)

    create_technician = providers.Singleton(CreateTechnician, uow=uow, directory=directory)
    update_technician = providers.Singleton(UpdateTechnician, uow=uow)
    delete_technician = providers.Singleton(DeleteTechnician, uow=uow)
    get_technician = providers.Singleton(GetTechnician, uow=uow)
    list_technicians = providers.Singleton(ListTechnicians, queries=queries)
    technician_queue = providers.Singleton(TechnicianQueue, uow=uow, queries=queries)

    create_maintenance_schedule = providers.Singleton(CreateSchedule, uow=uow, directory=directory)
    update_maintenance_schedule = providers.Singleton(UpdateSchedule, uow=uow)
    delete_maintenance_schedule = providers.Singleton(DeleteSchedule, uow=uow)
    get_maintenance_schedule = providers.Singleton(GetSchedule, uow=uow)
    list_maintenance_schedules = providers.Singleton(ListSchedules, queries=queries)
    preview_maintenance_occurrences = providers.Singleton(PreviewOccurrences, uow=uow, clock=clock)
    generate_preventive_work = providers.Singleton(
        GeneratePreventiveWork, uow=uow, triage=triage_maintenance_request, clock=clock
    )
    maintenance_report = providers.Singleton(MaintenanceReport, queries=queries)
