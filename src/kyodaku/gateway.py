"""The gate, composed once: screen → decide → generate → check → seal → record.

Each step may refuse, and a refusal is recorded like a permission. The
gateway owns no policy of its own; it wires the pure core (screening, policy)
to the edges (store, media, backends) in one direction, and fails closed:
if any step cannot complete, nothing is released.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.engine import Engine
from ulid import ULID

from kyodaku.config import Settings
from kyodaku.decisions import decision_payload, screen_and_decide
from kyodaku.fingerprints import FingerprintIndexCache
from kyodaku.generate import get_backend
from kyodaku.generate.base import (
    BackendError,
    GenerationRequest,
    ProgressCallback,
    ProviderRefusal,
    check_request,
)
from kyodaku.ledger import KIND_DECISION
from kyodaku.media.c2pa_identity import resolve_identity
from kyodaku.media.c2pa_manifest import build_manifest
from kyodaku.media.fingerprint import fingerprint_video
from kyodaku.media.label import VisibleLabel
from kyodaku.media.matching import MatchThresholds, UncheckableVideoError
from kyodaku.media.seal import WATERMARK_ALG, seal_video, watermark_key_hex
from kyodaku.messages import Message
from kyodaku.output_check import OutputCheck, check_output, permitted_assets
from kyodaku.policy import Decision, UseRequest, refuse_with_error
from kyodaku.registry import exchange
from kyodaku.registry.model import Registry
from kyodaku.screen import get_screener
from kyodaku.screen.types import ScreenResult
from kyodaku.store.db import make_engine, migrate, session_scope
from kyodaku.store.generations_repo import Generation, GenerationRepository
from kyodaku.store.ledger_repo import LedgerRepository
from kyodaku.store.references_repo import ReferenceRepository
from kyodaku.store.registry_repo import RegistryRepository
from kyodaku.store.royalties_repo import RoyaltyAccrual, RoyaltyRepository


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    """Stable, unique, unguessable ids (ULID: 80 random bits, sortable by time)."""
    return str(ULID())


@dataclass(frozen=True)
class RecordedDecision:
    id: str
    decision: Decision
    screen: ScreenResult | None
    prompt: str
    request: UseRequest
    ledger_seq: int


class Gateway:
    """One per process; cheap to build, holds the engine and the screen cache."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings.resolved_database_url())
        migrate(self.engine)
        self.clock = clock
        self._steps: GenerationSteps | None = None
        self._registry: Registry | None = None

    # -- registry -----------------------------------------------------------------
    def current_registry(self) -> Registry:
        """The newest registry snapshot, reloaded only when its version changed.

        Checking the head version is one small query; loading a large registry
        is not, and decisions run on every request. Snapshots are immutable,
        so a cached one is safe to share.
        """
        with session_scope(self.engine, read_only=True) as session:
            repo = RegistryRepository(session)
            head = repo.head()
            number = head.number if head is not None else 0
            cached = self._registry
            if cached is not None and cached.version == number:
                return cached
            self._registry = repo.current()
            return self._registry

    def import_registry(self, path: str | Path, *, actor: str, replace: bool = False) -> Any:
        """Validate the file completely, then apply it in one transaction."""
        with session_scope(self.engine) as session:
            repo = RegistryRepository(session)
            base = None if replace else repo.current()
            incoming = exchange.load_file(path, base=base)
            # The repository records the new version in the ledger itself.
            return repo.apply(incoming, actor=actor, replace=replace, source=Path(path).name)

    # -- screening ----------------------------------------------------------------
    def decide(
        self, prompt: str, request: UseRequest, *, actor: str = "anonymous", record: bool = True
    ) -> RecordedDecision:
        """Screen and decide under the current registry; record the decision."""
        registry = self.current_registry()
        result: ScreenResult | None = None
        try:
            screener = get_screener(registry)
        except Exception as exc:  # fail closed: no index, no permission
            detail = f"{type(exc).__name__}: {exc}"
            decision = refuse_with_error("error.screening_failed", detail, registry.version)
        else:
            result, decision = screen_and_decide(registry, screener, prompt, request)
        decision_id = new_id()
        seq = 0
        if record:
            payload = decision_payload(decision, prompt, request)
            payload["actor"] = actor
            with session_scope(self.engine) as session:
                entry = LedgerRepository(session).append(KIND_DECISION, decision_id, payload)
                seq = entry.seq
        return RecordedDecision(decision_id, decision, result, prompt, request, seq)

    # -- generation ---------------------------------------------------------------
    def generate(
        self,
        prompt: str,
        use: UseRequest,
        params: GenerationRequest,
        **options: Any,
    ) -> GenerationOutcome:
        """Screen, decide, generate, check, seal and record one video."""
        return self.generation_steps.run(prompt, use, params, **options)

    @property
    def generation_steps(self) -> GenerationSteps:
        if self._steps is None:
            self._steps = GenerationSteps(self)
        return self._steps


#: Ledger kinds of the generation path besides those the repositories write.
KIND_GENERATION_REFUSED = "generation.refused"
KIND_GENERATION_HELD = "generation.held"
KIND_GENERATION_FAILED = "generation.failed"


@dataclass(frozen=True)
class GenerationOutcome:
    """What became of a generation request."""

    status: Literal["released", "existing", "refused", "held", "failed"]
    request_id: str
    decision: RecordedDecision | None = None
    generation: Generation | None = None
    path: Path | None = None
    reasons: tuple[Message, ...] = ()
    royalties: tuple[RoyaltyAccrual, ...] = ()
    output_check: OutputCheck | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def released(self) -> bool:
        return self.status in ("released", "existing")


class GenerationSteps:
    """The generation path of the gate, bound to one gateway.

    Kept apart from :class:`Gateway` so that each step reads top to bottom:
    check the request against the backend, decide, generate, check the
    output, seal, record. Any step that cannot complete ends the request
    without a released file.
    """

    def __init__(self, gateway: Gateway) -> None:
        self.gw = gateway
        settings = gateway.settings
        self.references = FingerprintIndexCache(gateway.engine, settings.index_dir, "reference")
        self.released = FingerprintIndexCache(gateway.engine, settings.index_dir, "generation")
        self.thresholds = MatchThresholds(
            max_distance=settings.match_max_distance, min_share=settings.match_min_fraction
        )

    def run(
        self,
        prompt: str,
        use: UseRequest,
        params: GenerationRequest,
        *,
        backend: str | None = None,
        request_id: str | None = None,
        creator: str = "anonymous",
        out: Path | None = None,
        progress: ProgressCallback | None = None,
    ) -> GenerationOutcome:
        gw = self.gw
        request_id = request_id or new_id()
        existing = self._existing(request_id, prompt)
        if existing is not None:
            return self._copy_out(existing, out)  # a withdrawn one is refused there

        engine = get_backend(backend or gw.settings.default_backend)
        gen_request = GenerationRequest(
            prompt=prompt,
            duration_s=params.duration_s,
            width=params.width,
            height=params.height,
            fps=params.fps,
            seed=params.seed,
            style=params.style,
            audio=params.audio,
            request_id=request_id,
        )
        check_request(engine.capabilities(), gen_request)  # before anything runs

        recorded = gw.decide(prompt, use, actor=creator)
        if not recorded.decision.allowed:
            return GenerationOutcome(
                "refused", request_id, recorded, reasons=recorded.decision.reasons
            )

        generation_id = new_id()
        workdir = gw.settings.data_dir / "work" / generation_id
        try:
            return self._generate_and_release(
                engine, gen_request, recorded, generation_id, workdir, creator, out, progress
            )
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    # -- steps ----------------------------------------------------------------------
    def _existing(self, request_id: str, prompt: str) -> Generation | None:
        with session_scope(self.gw.engine, read_only=True) as session:
            existing = GenerationRepository(session).by_request_id(request_id)
        if existing is not None and existing.prompt != prompt:
            raise ValueError(
                f"request id {request_id!r} was already used for a different prompt "
                f"(generation {existing.id}); use a new request id"
            )
        return existing

    def _copy_out(self, generation: Generation, out: Path | None) -> GenerationOutcome:
        if generation.status == "withdrawn":
            # An upheld claim took this video down; a retry must not hand it out again.
            reason = Message("generate.withdrawn", {"generation": generation.id})
            return GenerationOutcome(
                "refused", generation.request_id, None, generation, None, (reason,)
            )
        with session_scope(self.gw.engine, read_only=True) as session:
            royalties = RoyaltyRepository(session).for_generation(generation.id)
        path = Path(generation.output_path) if generation.output_path else None
        if out is not None and path is not None and path.exists() and path != out:
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, out)
            path = out
        return GenerationOutcome(
            "existing", generation.request_id, None, generation, path, (), tuple(royalties)
        )

    def _generate_and_release(
        self,
        engine: Any,
        gen_request: GenerationRequest,
        recorded: RecordedDecision,
        generation_id: str,
        workdir: Path,
        creator: str,
        out: Path | None,
        progress: ProgressCallback | None,
    ) -> GenerationOutcome:
        gw = self.gw
        request_id = gen_request.request_id or generation_id
        note = progress or (lambda fraction, message: None)
        try:
            output = engine.generate(gen_request, workdir, progress)
        except BackendError as exc:  # ProviderRefusal included: the provider's own "no"
            refused = isinstance(exc, ProviderRefusal)
            kind = KIND_GENERATION_REFUSED if refused else KIND_GENERATION_FAILED
            self._log(kind, request_id, recorded, engine, error=exc)
            reason = Message(exc.code, dict(exc.params))
            return GenerationOutcome(
                "refused" if refused else "failed", request_id, recorded, reasons=(reason,)
            )

        note(0.8, "checking the output against reference media")
        registry = gw.current_registry()
        allowed = permitted_assets(registry, recorded.decision)
        try:
            check = check_output(output.path, self.references.index(), allowed, self.thresholds)
        except UncheckableVideoError as exc:  # fail closed: an unchecked video is not released
            self._log(KIND_GENERATION_HELD, request_id, recorded, engine, error=exc)
            reason = Message("media.output_uncheckable")
            return GenerationOutcome("held", request_id, recorded, reasons=(reason,))
        except Exception as exc:
            self._log(KIND_GENERATION_HELD, request_id, recorded, engine, error=exc)
            reason = Message("output.check_failed", {"detail": f"{type(exc).__name__}: {exc}"})
            return GenerationOutcome("held", request_id, recorded, reasons=(reason,))
        if not check.passed:
            self._log(KIND_GENERATION_HELD, request_id, recorded, engine, check=check)
            reasons = []
            for found in check.unlicensed:
                refusal = found.refusal()
                params = dict(refusal["params"])  # type: ignore[call-overload]
                params["asset_id"] = f"{registry.display_name(found.asset_id)} ({found.asset_id})"
                reasons.append(Message(str(refusal["code"]), params))
            return GenerationOutcome(
                "held", request_id, recorded, reasons=tuple(reasons), output_check=check
            )

        note(0.9, "sealing: label, watermark, C2PA manifest")
        licences = [
            {
                "licence_id": r.licence_id,
                "asset_id": r.asset_id,
                "rights_holder_id": r.rights_holder_id,
            }
            for r in recorded.decision.royalties
        ]
        manifest = build_manifest(
            generation_id=generation_id,
            decision_id=recorded.id,
            registry_version=recorded.decision.registry_version,
            licences=licences,
            backend=output.backend,
            model=output.model,
            title=_title(gen_request.prompt),
            watermark={"alg": WATERMARK_ALG, "payload_hex": watermark_key_hex(generation_id)},
            created_at=gw.clock(),
        )
        identity = resolve_identity(gw.settings.identity_dir)
        destination = gw.settings.videos_dir / f"{generation_id}.mp4"
        sealed = seal_video(
            output.path,
            destination,
            generation_id=generation_id,
            manifest=manifest,
            identity=identity,
            label=VisibleLabel(position=gw.settings.label_position),
            watermark_key=gw.settings.watermark_key,
        )
        try:
            released_hashes = fingerprint_video(destination, 0.5)
            generation, royalties = self._record(
                generation_id,
                request_id,
                recorded,
                output,
                sealed,
                creator,
                check,
                released_hashes,
                identity.is_development,
            )
        except Exception:
            destination.unlink(missing_ok=True)  # nothing released without its record
            raise
        if generation.id != generation_id:  # a concurrent retry won the race
            destination.unlink(missing_ok=True)
            return self._copy_out(generation, out)
        path = destination
        if out is not None:
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(destination, out)
            path = out
        note(1.0, "released")
        return GenerationOutcome(
            "released",
            request_id,
            recorded,
            generation,
            path,
            royalties=tuple(royalties),
            output_check=check,
            details={
                "manifest_label": sealed.manifest_label,
                "sha256": sealed.sha256,
                "development_identity": identity.is_development,
            },
        )

    def _record(
        self,
        generation_id: str,
        request_id: str,
        recorded: RecordedDecision,
        output: Any,
        sealed: Any,
        creator: str,
        check: OutputCheck,
        released_hashes: list[Any],
        development_identity: bool,
    ) -> tuple[Generation, list[RoyaltyAccrual]]:
        """The generation, its royalties and its fingerprints: one transaction."""
        decision = recorded.decision
        now = self.gw.clock()
        with session_scope(self.gw.engine) as session:
            generation, created = GenerationRepository(session).create(
                at=now,
                generation_id=generation_id,
                request_id=request_id,
                decision_id=recorded.id,
                creator=creator,
                backend=output.backend,
                model=output.model,
                prompt=recorded.prompt,
                registry_version=decision.registry_version,
                output_sha256=sealed.sha256,
                output_path=str(sealed.path),
                watermark_key=sealed.watermark_payload_hex,
                metadata={
                    "parameters": dict(output.parameters),
                    "timings": {k: round(v, 4) for k, v in output.timings.items()},
                    "provider_job_id": output.provider_job_id,
                    "manifest_label": sealed.manifest_label,
                    "development_identity": development_identity,
                    "licences": list(decision.licence_ids),
                    "references": list(decision.asset_ids),
                    "output_check": check.as_dict(),
                    "purpose": recorded.request.purpose,
                },
            )
            if not created:
                return generation, []
            accruals: list[RoyaltyAccrual] = []
            royalties = RoyaltyRepository(session)
            for due in decision.royalties:
                accrual, _ = royalties.accrue(
                    generation_id=generation_id,
                    licence_id=due.licence_id,
                    asset_id=due.asset_id,
                    rights_holder_id=due.rights_holder_id,
                    rate=due.rate,
                    declared_value=due.declared_value or Decimal(0),
                    currency=due.currency,
                    at=now,
                )
                accruals.append(accrual)
            ReferenceRepository(session).add_generation_hashes(generation_id, released_hashes)
        return generation, accruals

    def _log(
        self,
        kind: str,
        request_id: str,
        recorded: RecordedDecision,
        engine: Any,
        *,
        error: Exception | None = None,
        check: OutputCheck | None = None,
    ) -> None:
        payload: dict[str, Any] = {
            "request_id": request_id,
            "decision_id": recorded.id,
            "backend": getattr(engine, "name", "?"),
            "model": getattr(engine, "model", None),
        }
        if error is not None:
            payload["error"] = {"type": type(error).__name__, "message": str(error)}
            for attr in ("code", "provider", "reasons", "provider_job_id"):
                value = getattr(error, attr, None)
                if value is not None:
                    payload["error"][attr] = list(value) if attr == "reasons" else value
        if check is not None:
            payload["output_check"] = check.as_dict()
        with session_scope(self.gw.engine) as session:
            LedgerRepository(session).append(kind, request_id, payload)


def _title(prompt: str) -> str:
    text = " ".join(prompt.split())
    return text if len(text) <= 80 else text[:77] + "..."
