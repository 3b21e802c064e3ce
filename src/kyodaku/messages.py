"""The message catalogue: every user-facing sentence, in Japanese and English.

Code produces message *codes with parameters*; only this module turns them
into words. Keeping the catalogue in one place lets translators review both
languages side by side and keeps wording consistent across the CLI, the API
and the ledger's stored reasons. Pure data and formatting, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "ja")

CATALOGUE: dict[str, dict[str, str]] = {
    # ---- decisions -------------------------------------------------------------
    "decision.allow": {
        "en": "Allowed.",
        "ja": "許可されました。",
    },
    "decision.block": {
        "en": "Refused.",
        "ja": "拒否されました。",
    },
    "decision.no_references": {
        "en": "No registered work or character was found in the prompt.",
        "ja": "プロンプトに登録済みの作品やキャラクターは見つかりませんでした。",
    },
    # ---- how an asset was recognised (quote the prompt back) ----------------------
    "evidence.name": {
        "en": "'{span}' names {asset} ({holder}).",
        "ja": "「{span}」は{asset}（{holder}）の名前です。",
    },
    "evidence.reading": {
        "en": "'{span}' reads as {asset} ({holder}).",
        "ja": "「{span}」は{asset}（{holder}）と読めます。",
    },
    "evidence.fuzzy": {
        "en": "'{span}' is a near spelling of {asset} ({holder}).",
        "ja": "「{span}」は{asset}（{holder}）の表記ゆれです。",
    },
    "evidence.title": {
        "en": "'{span}' is a title of {asset} ({holder}).",
        "ja": "「{span}」は作品{asset}（{holder}）のタイトルです。",
    },
    "evidence.term": {
        "en": "'{span}' is a signature term of {asset} ({holder}).",
        "ja": "「{span}」は作品{asset}（{holder}）に固有の用語です。",
    },
    "evidence.alias": {
        "en": "'{span}' is a listed alias of {asset} ({holder}).",
        "ja": "「{span}」は{asset}（{holder}）の登録済みの別名です。",
    },
    "evidence.description": {
        "en": "'{span}' describes {asset} ({holder}): {matched}.",
        "ja": "「{span}」は{asset}（{holder}）の特徴（{matched}）を描写しています。",
    },
    "evidence.epithet": {
        "en": "'{span}' is an epithet of {asset} ({holder}).",
        "ja": "「{span}」は{asset}（{holder}）の異名です。",
    },
    "evidence.semantic": {
        "en": "'{span}' closely resembles the registered description of {asset} ({holder}).",
        "ja": "「{span}」は{asset}（{holder}）の登録された説明によく似ています。",
    },
    "evidence.vocabulary": {
        "en": "'{span}' evokes {asset} ({holder}) with words of its titles and terms.",
        "ja": "「{span}」は{asset}（{holder}）のタイトルや用語の語で作品を想起させます。",
    },
    "evidence.short_form": {
        "en": "'{span}' is a short form of {asset} ({holder}) with an honorific.",
        "ja": "「{span}」は{asset}（{holder}）の愛称（敬称付き）です。",
    },
    "evidence.transliteration": {
        "en": "'{span}' sounds like {asset} ({holder}) written in another script.",
        "ja": "「{span}」は{asset}（{holder}）を別の文字で音写したものです。",
    },
    "evidence.translation": {
        "en": "'{span}' is a translated name of {asset} ({holder}).",
        "ja": "「{span}」は{asset}（{holder}）の翻訳名です。",
    },
    "evidence.generic": {
        "en": "The prompt refers to {asset} ({holder}).",
        "ja": "プロンプトは{asset}（{holder}）を参照しています。",
    },
    # ---- policy outcomes per asset ------------------------------------------------------
    "policy.unlicensed": {
        "en": "{asset} is protected and no licence permits its use (opt-in: no licence, no use).",
        "ja": "{asset}は保護されており、利用を許諾するライセンスがありません（オプトイン：許諾なしに利用不可）。",
    },
    "policy.licensed": {
        "en": "{asset} is used under licence {licence}.",
        "ja": "{asset}はライセンス{licence}に基づいて利用されます。",
    },
    "policy.covered_by_character": {
        "en": "{asset} appears only as the world of a licensed character ({character}).",
        "ja": "{asset}は許諾済みキャラクター（{character}）の世界観としてのみ登場します。",
    },
    "policy.purpose_not_licensed": {
        "en": "Licence {licence} for {asset} does not cover {purpose} use (it covers: {allowed}).",
        "ja": "{asset}のライセンス{licence}は{purpose}での利用を許諾していません（許諾範囲：{allowed}）。",
    },
    "policy.context_prohibited": {
        "en": "Licence {licence} for {asset} prohibits the {context} context ('{cue}').",
        "ja": "{asset}のライセンス{licence}は「{context}」の文脈での利用を禁止しています（「{cue}」）。",
    },
    "policy.not_yet_valid": {
        "en": "Licence {licence} for {asset} is valid only from {valid_from}.",
        "ja": "{asset}のライセンス{licence}は{valid_from}から有効です。",
    },
    "policy.expired": {
        "en": "Licence {licence} for {asset} expired on {valid_until}.",
        "ja": "{asset}のライセンス{licence}は{valid_until}に失効しました。",
    },
    "policy.territory_not_licensed": {
        "en": "Licence {licence} for {asset} covers only {territories}, not {territory}.",
        "ja": "{asset}のライセンス{licence}の対象地域は{territories}のみで、{territory}は含まれません。",
    },
    "policy.territory_unknown": {
        "en": "Licence {licence} for {asset} is limited to {territories}; the request declared no territory.",
        "ja": "{asset}のライセンス{licence}は{territories}に限定されていますが、リクエストに地域の指定がありません。",
    },
    "policy.offer": {
        "en": "Licence {licence} would allow {asset} for {purposes} use{except_contexts}{territories}.",
        "ja": "ライセンス{licence}なら{asset}を{purposes}で利用できます{except_contexts}{territories}。",
    },
    "policy.offer.except_contexts": {
        "en": ", except in {contexts} contexts",
        "ja": "（{contexts}の文脈を除く）",
    },
    "policy.offer.territories": {
        "en": " in {territories}",
        "ja": "（地域：{territories}）",
    },
    "policy.royalty": {
        "en": "Royalty due to {holder} for {asset}: {amount} {currency} ({rate_pct}% of {value}).",
        "ja": "{asset}について{holder}へのロイヤリティ：{amount} {currency}（{value}の{rate_pct}%）。",
    },
    # ---- ledger verification ------------------------------------------------------
    "ledger.intact": {
        "en": "The ledger is intact: {checked} entries checked, head {head_seq}.",
        "ja": "台帳は改ざんされていません（{checked} 件を検証、最新は {head_seq} 番）。",
    },
    "ledger.deleted": {
        "en": "Entries {missing_from}–{missing_to} are missing before entry {seq}: "
        "they were deleted.",
        "ja": "{seq} 番の前にある {missing_from}〜{missing_to} 番が見つかりません。"
        "削除されています。",
    },
    "ledger.reordered": {
        "en": "Entry {seq} ({entry_id}) is not chained to the entry before it: entries were "
        "reordered or deleted, or the entry before it was rewritten.",
        "ja": "{seq} 番（{entry_id}）が直前の記録とつながっていません。"
        "順序の入れ替え、削除、または直前の記録の書き換えがあります。",
    },
    "ledger.out_of_order": {
        "en": "Entry {seq} ({entry_id}) comes after entry {previous_seq}: "
        "entries are out of order.",
        "ja": "{seq} 番（{entry_id}）が {previous_seq} 番の後にあります。順序が崩れています。",
    },
    "ledger.edited": {
        "en": "Entry {seq} ({entry_id}) does not match its hash: it was edited after it "
        "was written.",
        "ja": "{seq} 番（{entry_id}）の内容がハッシュと一致しません。"
        "記録後に書き換えられています。",
    },
    "ledger.truncated": {
        "en": "The ledger ends at entry {head_seq} but entry {anchor_seq} was recorded "
        "earlier: the newest entries were deleted.",
        "ja": "台帳は {head_seq} 番で終わっていますが、{anchor_seq} 番が記録済みのはずです。"
        "末尾の記録が削除されています。",
    },
    "ledger.anchor_mismatch": {
        "en": "Entry {seq} has hash {found} but {expected} was recorded earlier: "
        "the ledger was rewritten from this entry on.",
        "ja": "{seq} 番のハッシュ {found} が記録済みの {expected} と一致しません。"
        "この記録以降が書き換えられています。",
    },
    # ---- provenance (C2PA) ---------------------------------------------------------
    "provenance.absent": {
        "en": "This file carries no Content Credentials (C2PA manifest).",
        "ja": "このファイルにはコンテンツクレデンシャル（C2PAマニフェスト）がありません。",
    },
    "provenance.invalid": {
        "en": "The Content Credentials do not match this file: it was changed after "
        "signing or the manifest is damaged ({codes}).",
        "ja": "コンテンツクレデンシャルがこのファイルと一致しません。署名後に改変されたか、"
        "マニフェストが破損しています（{codes}）。",
    },
    "provenance.valid_untrusted": {
        "en": "The Content Credentials are intact, but the signer ({signer}) is not on "
        "your trust list.",
        "ja": "コンテンツクレデンシャルは改変されていませんが、署名者（{signer}）は"
        "信頼リストにありません。",
    },
    "provenance.trusted": {
        "en": "The Content Credentials are intact and signed by a trusted signer ({signer}).",
        "ja": "コンテンツクレデンシャルは改変されておらず、信頼された署名者（{signer}）が"
        "署名しています。",
    },
    "provenance.development_identity": {
        "en": "Signed with a kyodaku development identity: for testing only, not trusted.",
        "ja": "kyodaku の開発用IDで署名されています。テスト専用であり、信頼できません。",
    },
    # ---- from generate/base.py ----
    "generate.failed": {
        "en": "The video could not be generated: {detail}",
        "ja": "動画を生成できませんでした：{detail}",
    },
    "generate.config": {
        "en": "The video backend is not configured: {detail}",
        "ja": "動画生成バックエンドが設定されていません：{detail}",
    },
    "generate.unknown_backend": {
        "en": "Unknown video backend “{name}”. Available: {known}.",
        "ja": "動画生成バックエンド「{name}」はありません。利用可能：{known}。",
    },
    "generate.missing_api_key": {
        "en": "The API key for {provider} is missing: set the environment variable {env}.",
        "ja": "{provider} の API キーがありません。環境変数 {env} を設定してください。",
    },
    "generate.missing_cjk_font": {
        "en": "No Japanese font is installed, so the caption cannot be drawn. "
        "Install fonts-ipafont-gothic or set KYODAKU_CJK_FONT.",
        "ja": "日本語フォントがないため字幕を描画できません。"
        "fonts-ipafont-gothic をインストールするか KYODAKU_CJK_FONT を設定してください。",
    },
    "generate.transient": {
        "en": "The video service is temporarily unavailable ({detail}). Please try again later.",
        "ja": "動画生成サービスが一時的に利用できません（{detail}）。"
        "しばらくしてから再度お試しください。",
    },
    "generate.timeout": {
        "en": "The video was not ready within {seconds} seconds.",
        "ja": "{seconds} 秒以内に動画が完成しませんでした。",
    },
    "generate.job_failed": {
        "en": "The video service reported that the job failed: {detail}",
        "ja": "動画生成サービスがジョブの失敗を報告しました：{detail}",
    },
    "generate.download_failed": {
        "en": "The finished video could not be downloaded: {detail}",
        "ja": "完成した動画をダウンロードできませんでした：{detail}",
    },
    "generate.invalid_output": {
        "en": "The video service returned a file that is not a usable video: {detail}",
        "ja": "動画生成サービスが返したファイルは使用できる動画ではありません：{detail}",
    },
    "generate.provider_refusal": {
        "en": "{provider} declined to generate this video under its own content policy "
        "(reason: {reasons}).",
        "ja": "{provider} が独自のコンテンツポリシーによりこの動画の生成を拒否しました"
        "（理由：{reasons}）。",
    },
    "generate.unsupported": {
        "en": "This request cannot be generated: {detail}",
        "ja": "このリクエストは生成できません：{detail}",
    },
    "generate.unsupported.empty_prompt": {
        "en": "The prompt is empty.",
        "ja": "プロンプトが空です。",
    },
    "generate.unsupported.prompt_too_long": {
        "en": "The prompt has {chars} characters; this backend accepts at most {max}.",
        "ja": "プロンプトが {chars} 文字あります。このバックエンドの上限は {max} 文字です。",
    },
    "generate.unsupported.duration": {
        "en": "A {duration} s video is not available; allowed: {allowed} s.",
        "ja": "{duration} 秒の動画は生成できません。指定できる長さ：{allowed} 秒。",
    },
    "generate.unsupported.size": {
        "en": "A {width}×{height} video is not available; allowed: {allowed}.",
        "ja": "{width}×{height} の動画は生成できません。指定できるサイズ：{allowed}。",
    },
    "generate.unsupported.fps": {
        "en": "{fps} fps is not available; allowed: {allowed}.",
        "ja": "{fps} fps は指定できません。指定できる値：{allowed}。",
    },
    "generate.unsupported.style": {
        "en": "The style “{style}” is not available; allowed: {allowed}.",
        "ja": "スタイル「{style}」は指定できません。指定できるスタイル：{allowed}。",
    },
    "generate.unsupported.audio": {
        "en": "This backend cannot produce sound.",
        "ja": "このバックエンドは音声を生成できません。",
    },
    "generate.unsupported.too_many_shots": {
        "en": "The prompt asks for {shots} shots, but a {duration} s video holds at most {max}.",
        "ja": "プロンプトには {shots} ショットありますが、"
        "{duration} 秒の動画には最大 {max} ショットです。",
    },
    # ---- from media/matching.py ----
    "media.output_matches_reference": {
        "en": (
            "The generated video matches reference media registered for {asset_id}: "
            "{share_percent}% of its frames, {run_seconds} s in a row. It was not released."
        ),
        "ja": (
            "生成された動画は {asset_id} の登録参照素材と一致しました（フレームの "
            "{share_percent}%、連続 {run_seconds} 秒）。公開していません。"
        ),
    },
    "media.output_uncheckable": {
        "en": (
            "The generated video has no frame with enough detail to compare with "
            "reference media, so it could not be checked. It was not released."
        ),
        "ja": (
            "生成された動画には参照素材と照合できるだけの情報を持つフレームがなく、"
            "確認できませんでした。公開していません。"
        ),
    },
    # ---- from screen/contexts.py ----
    "contexts.invalid_prompt": {
        "en": "the prompt given to context detection was not text",
        "ja": "文脈判定に渡されたプロンプトがテキストではありません",
    },
    # ---- screening errors ----
    "screen.prompt_too_long": {
        "en": "The prompt is too long to screen ({length} characters; the limit is {limit}).",
        "ja": "プロンプトが長すぎるため審査できません（{length}文字、上限は{limit}文字）。",
    },
    "screen.prompt_too_complex": {
        "en": "The prompt names too many registered works or characters to screen.",
        "ja": "プロンプトに登録済みの作品・キャラクター名が多すぎるため審査できません。",
    },
    "screen.invalid_prompt": {
        "en": "The prompt must be text.",
        "ja": "プロンプトはテキストで入力してください。",
    },
    "screen.semantic_unavailable": {
        "en": "Semantic screening was requested but is not installed.",
        "ja": "意味的な審査が指定されましたが、インストールされていません。",
    },
    # ---- failure (fail closed) ---------------------------------------------------------
    "error.screening_failed": {
        "en": "Screening could not complete ({detail}); nothing was generated.",
        "ja": "スクリーニングを完了できませんでした（{detail}）。生成は行われていません。",
    },
    "error.policy_failed": {
        "en": "The licence check could not complete ({detail}); nothing was generated.",
        "ja": "ライセンス確認を完了できませんでした（{detail}）。生成は行われていません。",
    },
    "output.check_failed": {
        "en": "The generated video could not be checked against reference media ({detail}); it was not released.",
        "ja": "生成された動画を参照素材と照合できませんでした（{detail}）。公開していません。",
    },
    "generate.withdrawn": {
        "en": "This request's video ({generation}) was withdrawn after an upheld claim; it is not served again.",
        "ja": "このリクエストの動画（{generation}）は申し立てが認められたため取り下げられました。再提供はしません。",
    },
    "label.ai_generated": {
        "en": "AI-generated",
        "ja": "AI生成",
    },
    "error.prompt_too_long": {
        "en": "The prompt is {length} characters long; the limit is {limit}.",
        "ja": "プロンプトが{length}文字あります。上限は{limit}文字です。",
    },
    "error.prompt_empty": {
        "en": "The prompt is empty.",
        "ja": "プロンプトが空です。",
    },
    # ---- claims ----
    "claim.target_missing": {
        "en": "A claim names either a video file or a generation id (one of the two).",
        "ja": "申立てには動画ファイルか生成IDのどちらか一方を指定してください。",
    },
    "claim.reason_missing": {
        "en": "A claim needs a reason.",
        "ja": "申立てには理由が必要です。",
    },
    "claim.unknown_rights_holder": {
        "en": "There is no rights holder '{rights_holder}' in the registry.",
        "ja": "権利者「{rights_holder}」はレジストリに登録されていません。",
    },
    "claim.unknown_asset": {
        "en": "'{asset}' is not a registered work or character.",
        "ja": "「{asset}」は登録済みの作品・キャラクターではありません。",
    },
    "claim.not_your_asset": {
        "en": "'{asset}' belongs to {owner}, not to {rights_holder}.",
        "ja": "「{asset}」の権利者は{owner}であり、{rights_holder}ではありません。",
    },
    "claim.duplicate": {
        "en": "{rights_holder} already has claim {claim} ({state}) on this video for '{asset}'.",
        "ja": "{rights_holder}はこの動画の「{asset}」について既に申立て{claim}（{state}）を行っています。",
    },
    "claim.final": {
        "en": "The claim is already {state}; it cannot become {target}.",
        "ja": "この申立ては既に{state}のため、{target}にはできません。",
    },
    "claim.not_next": {
        "en": "A {state} claim cannot become {target} (next: {next}).",
        "ja": "{state}の申立ては{target}にできません（次に可能な状態：{next}）。",
    },
    "claim.wrong_role": {
        "en": "Only the {role} may move a claim from {state} to {target}.",
        "ja": "申立てを{state}から{target}にできるのは{role}だけです。",
    },
    "claim.already_answered": {
        "en": "The creator has already answered this claim; there is one answer per claim.",
        "ja": "作成者はこの申立てに既に回答しています。回答は一度だけです。",
    },
    "claim.response_empty": {
        "en": "The response is empty.",
        "ja": "回答が空です。",
    },
    "claim.not_the_creator": {
        "en": "Only the video's creator ({creator}) may answer this claim.",
        "ja": "この申立てに回答できるのは動画の作成者（{creator}）だけです。",
    },
    "claim.not_the_claimant": {
        "en": "Only the claiming rights holder ({rights_holder}) may decide this claim.",
        "ja": "この申立てを判断できるのは申立てた権利者（{rights_holder}）だけです。",
    },
    "claim.not_ours": {
        "en": "Not ours: no watermark, C2PA manifest or fingerprint ties this video to a generation made through this gateway.",
        "ja": "当サービスの生成物ではありません。透かし、C2PAマニフェスト、フィンガープリントのいずれも、このゲートウェイで生成された動画と一致しません。",
    },
    "claim.not_ours_generation": {
        "en": "Not ours: no generation '{generation}' was made through this gateway.",
        "ja": "当サービスの生成物ではありません。生成ID「{generation}」の記録はありません。",
    },
    "claim.settle_not_ours": {
        "en": "Only a claim on a video made through this gateway can be settled.",
        "ja": "和解できるのは、このゲートウェイで生成された動画に対する申立てだけです。",
    },
    "claim.rate_out_of_range": {
        "en": "Royalty rate {rate} is outside 0–1.",
        "ja": "ロイヤリティ率{rate}は0〜1の範囲外です。",
    },
    "claim.value_needed": {
        "en": "The original request declared no value: give the value the royalty is due on.",
        "ja": "元の依頼に申告額がありません。ロイヤリティの基準となる金額を指定してください。",
    },
    "claim.value_negative": {
        "en": "The declared value {value} is negative.",
        "ja": "申告額{value}が負の値です。",
    },
    "claim.rejection_reasons_missing": {
        "en": "A rejection needs its reasons.",
        "ja": "却下には理由が必要です。",
    },
    "claim.phrases_not_upheld": {
        "en": "Phrases can be accepted only from an upheld claim (this one is {state}).",
        "ja": "語句を採用できるのは認容された申立てだけです（この申立ては{state}）。",
    },
    "claim.phrases_empty": {
        "en": "Name at least one proposed phrase to accept.",
        "ja": "採用する提案語句を一つ以上指定してください。",
    },
    "claim.phrases_not_proposed": {
        "en": "Not among this claim's proposals: {phrases}.",
        "ja": "この申立ての提案にない語句です：{phrases}。",
    },
    "claim.asset_gone": {
        "en": "'{asset}' is no longer in the registry.",
        "ja": "「{asset}」はもうレジストリにありません。",
    },
    "claim.late_acknowledge": {
        "en": "Late to acknowledge (due {due}):",
        "ja": "受領確認の期限切れ（期限 {due}）：",
    },
    "claim.late_decide": {
        "en": "Late to decide (due {due}):",
        "ja": "判断の期限切れ（期限 {due}）：",
    },
    "claim.none": {
        "en": "No claims.",
        "ja": "申立てはありません。",
    },
    "claim.none_overdue": {
        "en": "No claim is overdue.",
        "ja": "期限を過ぎた申立てはありません。",
    },
    "claim.summary": {
        "en": "{rights_holder} on {asset}: {reason}",
        "ja": "{rights_holder}による{asset}の申立て：{reason}",
    },
    "claim.generation": {
        "en": "Generation: {generation}, filed {filed} UTC",
        "ja": "生成ID：{generation}、申立日時 {filed} UTC",
    },
    "claim.acknowledge_by": {
        "en": "Acknowledge by {due} UTC",
        "ja": "受領確認期限 {due} UTC",
    },
    "claim.decide_by": {
        "en": "Decide by {due} UTC",
        "ja": "判断期限 {due} UTC",
    },
    "claim.creator_response": {
        "en": "Creator's response: {text}",
        "ja": "作成者の回答：{text}",
    },
    "claim.withdrawn": {
        "en": "Upheld: generation {generation} is withdrawn and no longer served.",
        "ja": "認容：生成物{generation}を取り下げ、提供を停止しました。",
    },
    "claim.settled": {
        "en": "Settled: licence {licence} granted retroactively; royalty {amount} {currency}.",
        "ja": "和解：ライセンス{licence}を遡って付与しました。ロイヤリティ {amount} {currency}。",
    },
    "claim.rejected": {
        "en": "Rejected: {reasons}",
        "ja": "却下：{reasons}",
    },
    "claim.proposals": {
        "en": "Phrases screening missed (accept with `kyodaku claim accept-phrases`):",
        "ja": "審査で見落とした語句（`kyodaku claim accept-phrases` で採用できます）：",
    },
    "claim.phrases_added": {
        "en": "Registry version {version}: added {phrases} to {asset}.",
        "ja": "レジストリ版{version}：{asset}に{phrases}を追加しました。",
    },
    "claim.phrases_unchanged": {
        "en": "No change: the registry already lists these phrases.",
        "ja": "変更なし：これらの語句は既にレジストリに登録されています。",
    },
    "claim.history": {
        "en": "History:",
        "ja": "経過：",
    },
    "claim.evidence": {
        "en": "Evidence:",
        "ja": "証拠：",
    },
    "claim.unknown_state": {
        "en": "'{state}' is not a claim state ({states}).",
        "ja": "「{state}」は申立ての状態ではありません（{states}）。",
    },
    "claim.state.received": {"en": "received", "ja": "受付済み"},
    "claim.state.acknowledged": {"en": "acknowledged", "ja": "受領確認済み"},
    "claim.state.responded": {"en": "answered by the creator", "ja": "作成者回答済み"},
    "claim.state.upheld": {"en": "upheld", "ja": "認容"},
    "claim.state.settled": {"en": "settled", "ja": "和解"},
    "claim.state.rejected": {"en": "rejected", "ja": "却下"},
    "claim.role.platform": {"en": "platform", "ja": "プラットフォーム"},
    "claim.role.creator": {"en": "video's creator", "ja": "動画の作成者"},
    "claim.role.rights_holder": {"en": "rights holder", "ja": "権利者"},
    # ---- end claims ----
}

#: Human names of purposes and contexts, for sentences.
TERMS: dict[str, dict[str, str]] = {
    "non-commercial": {"en": "non-commercial", "ja": "非商用"},
    "commercial": {"en": "commercial", "ja": "商用"},
    "gambling": {"en": "gambling", "ja": "ギャンブル"},
    "political": {"en": "political", "ja": "政治"},
    "sexual": {"en": "sexual", "ja": "性的"},
    "violence": {"en": "violence", "ja": "暴力"},
    "alcohol": {"en": "alcohol", "ja": "飲酒"},
    "tobacco": {"en": "tobacco", "ja": "喫煙"},
    "hate": {"en": "hate", "ja": "ヘイト"},
}


class _Defaulting(dict[str, Any]):
    """Leaves an unknown placeholder visible instead of raising mid-refusal."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(code: str, lang: str = "en", **params: Any) -> str:
    """The sentence for ``code`` in ``lang`` (falls back to English)."""
    entry = CATALOGUE.get(code)
    if entry is None:
        raise KeyError(f"no message {code!r} in the catalogue")
    template = entry.get(lang) or entry["en"]
    localised = {k: _localise(k, v, lang) for k, v in params.items()}
    return template.format_map(_Defaulting(localised))


#: Parameters whose values are vocabulary words (purposes, contexts) and so
#: are translated too; everything else (names, ids, quotes) is shown as is.
_VOCABULARY_PARAMS = frozenset({"purpose", "purposes", "allowed", "context", "contexts"})


def _localise(key: str, value: Any, lang: str) -> Any:
    if isinstance(value, Message):  # a clause rendered in the same language
        return value.text(lang)
    if key not in _VOCABULARY_PARAMS:
        return value
    if isinstance(value, list | tuple):
        return join_terms(value, lang)
    return term(value, lang) if isinstance(value, str) else value


#: ISO 4217 currencies without minor units (the rest show two decimals).
_ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF"})


def format_money(amount: Decimal | None, currency: str) -> str:
    """An amount as people read it (¥100, not 100.000000): rounded for display only."""
    if amount is None:
        return "-"
    places = Decimal(1) if currency in _ZERO_DECIMAL_CURRENCIES else Decimal("0.01")
    return f"{amount.quantize(places, rounding=ROUND_HALF_EVEN):,}"


def term(word: str, lang: str = "en") -> str:
    return TERMS.get(word, {}).get(lang, word)


def join_terms(words: list[str] | tuple[str, ...], lang: str = "en") -> str:
    sep = "、" if lang == "ja" else ", "
    return sep.join(term(w, lang) for w in words)


@dataclass(frozen=True)
class Message:
    """A message code with its parameters; rendered on demand in any language."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        return render(self.code, lang, **self.params)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "params": {
                k: v.as_dict() if isinstance(v, Message) else v for k, v in self.params.items()
            },
            **{lang: self.text(lang) for lang in LANGUAGES},
        }
