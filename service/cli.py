"""`wtw serve` and `wtw db ...`."""

from __future__ import annotations

import typer

from wtw.config import get_settings

db_app = typer.Typer(
    help="The user database (SQLite embedded, PostgreSQL in production).", no_args_is_help=True
)


def serve(
    host: str = typer.Option(None, help="Bind address (default: settings.service.host, 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default: settings.service.port, 8000)."),
    workers: int = typer.Option(
        None, min=1, help="uvicorn worker processes (default: settings.service.workers)."
    ),
    migrate: bool = typer.Option(
        None, help="Apply database migrations first (default: yes for SQLite, no for PostgreSQL)."
    ),
) -> None:
    """Serve the API (and the built UI) with uvicorn."""
    import uvicorn

    from wtw.service import db

    settings = get_settings()
    url = settings.database_url
    if migrate if migrate is not None else db.is_sqlite(url):
        db.upgrade(url)
    uvicorn.run(
        "wtw.service.app:app_factory",
        factory=True,
        host=host or settings.service.host,
        port=port or settings.service.port,
        workers=workers or settings.service.workers,
        log_level=settings.log_level.lower(),
        access_log=False,
    )


@db_app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations to the configured database (production: run before starting the service)."""
    from wtw.service import db

    db.upgrade(get_settings().database_url, revision)
    typer.echo(f"database upgraded to {revision}")


@db_app.command("make-admin")
def make_admin(username: str) -> None:
    """Give an existing user the admin role (reload artifacts, see served versions)."""
    from sqlmodel import Session

    from wtw.service import crud, db
    from wtw.service.models import Role

    engine = db.make_engine(get_settings().database_url)
    with Session(engine) as session:
        crud.set_role(session=session, username=username, role=Role.admin)
    engine.dispose()
    typer.echo(f"{username} is now an admin")


def register(app: typer.Typer) -> None:
    """Add `wtw serve` and `wtw db`."""
    app.command("serve")(serve)
    app.add_typer(db_app, name="db")
