"""The composition root: the only module that names concrete adapters.

Each context's use cases live in a sub-container that receives its ports as dependencies, so the
HTTP app, the worker, the CLI and the tests all get the same use cases, wired to whichever
adapters the configuration (or a test's overrides) selects."""

from dependency_injector import containers, providers

from adapters.redis.probe import RedisBrokerProbe
from adapters.sqlalchemy.engine import create_engine
from adapters.sqlalchemy.housing.queries import SqlAlchemyHousingQueries
from adapters.sqlalchemy.housing.repositories import SqlAlchemyHousingUnitOfWork
from adapters.sqlalchemy.probe import SqlAlchemyDatabaseProbe
from adapters.system.clock import SystemClock
from adapters.taskiq.probe import TaskiqInProcessBrokerProbe
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
from application.system.health import CheckReadiness
from entrypoints.settings import Settings
from entrypoints.worker.broker import create_broker


class HousingUseCases(containers.DeclarativeContainer):
    uow = providers.Dependency()
    queries = providers.Dependency()
    clock = providers.Dependency()

    create_building = providers.Singleton(CreateBuilding, uow=uow, queries=queries)
    update_building = providers.Singleton(UpdateBuilding, uow=uow, queries=queries)
    delete_building = providers.Singleton(DeleteBuilding, uow=uow)
    get_building = providers.Singleton(GetBuilding, queries=queries)
    list_buildings = providers.Singleton(ListBuildings, queries=queries)

    create_room = providers.Singleton(CreateRoom, uow=uow, queries=queries)
    update_room = providers.Singleton(UpdateRoom, uow=uow, queries=queries)
    delete_room = providers.Singleton(DeleteRoom, uow=uow)
    get_room = providers.Singleton(GetRoom, queries=queries)
    list_rooms = providers.Singleton(ListRooms, queries=queries)

    add_bed = providers.Singleton(AddBed, uow=uow)
    update_bed = providers.Singleton(UpdateBed, uow=uow)
    remove_bed = providers.Singleton(RemoveBed, uow=uow)
    get_bed = providers.Singleton(GetBed, queries=queries)
    list_beds = providers.Singleton(ListBeds, queries=queries)

    register_resident = providers.Singleton(RegisterResident, uow=uow, queries=queries, clock=clock)
    update_resident = providers.Singleton(UpdateResident, uow=uow, queries=queries, clock=clock)
    delete_resident = providers.Singleton(DeleteResident, uow=uow)
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

    check_readiness = providers.Singleton(CheckReadiness, probes=probes)


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    engine = providers.Singleton(
        create_engine,
        settings.provided.database_url,
        pool_size=settings.provided.database_pool_size,
    )
    clock = providers.Singleton(SystemClock)

    housing_uow = providers.Factory(SqlAlchemyHousingUnitOfWork, engine)
    housing_queries = providers.Singleton(SqlAlchemyHousingQueries, engine)
    broker = providers.Singleton(create_broker, settings)
    broker_probe = providers.Selector(
        settings.provided.task_broker,
        redis=providers.Singleton(RedisBrokerProbe, settings.provided.redis_url),
        in_process=providers.Singleton(TaskiqInProcessBrokerProbe, broker),
    )
    probes = providers.List(providers.Singleton(SqlAlchemyDatabaseProbe, engine), broker_probe)

    housing = providers.Container(
        HousingUseCases, uow=housing_uow.provider, queries=housing_queries, clock=clock
    )
    system = providers.Container(SystemUseCases, probes=probes)


USE_CASE_CONTEXTS = ("housing", "system")


def use_case_providers(container: Container) -> dict[str, providers.Provider[object]]:
    """Every use case by its provider name (`create_building`, ...): the HTTP layer injects them
    into handlers under these names."""
    found: dict[str, providers.Provider[object]] = {}
    for context in USE_CASE_CONTEXTS:
        sub_container = getattr(container, context)
        for name, provider in sub_container.providers.items():
            if isinstance(provider, providers.Singleton):
                found[name] = provider
    return found
