"""Upload & validate: templates, mapping, the validation report, and using the extract."""

import streamlit as st

from cpwb_stats.i18n import translate
from cpwb_stats.ingest.mapping import KINDS, MappingProfile
from cpwb_stats.output.templates import template_bytes
from cpwb_stats.workspace.stored import zone_profile
from cpwb_stats.workspace.versions import save_zone_profile
from cpwb_ui import downloads, formatting, sidebar, upload_flow, workspace_view
from cpwb_ui.account import engine
from cpwb_ui.data import Dataset, upload_key, use_dataset
from cpwb_ui.guard import require_entry
from cpwb_ui.i18n import language, t

require_entry()

lang = language()
st.title(t("upload.title"))
st.markdown(t("upload.intro"))

kind = st.radio(t("upload.kind"), list(KINDS), horizontal=True, key="upload_kind",
                format_func=lambda k: translate(f"kind.{k}", lang))
with st.expander(t("upload.templates")):
    csv_column, xlsx_column = st.columns(2)
    csv_column.download_button(t("upload.template_csv"), template_bytes(kind, "csv", lang),
                               file_name=downloads.file_name(f"template_{kind}", lang, suffix="csv"),
                               mime="text/csv",
                               key="template_csv")
    xlsx_column.download_button(
        t("upload.template_xlsx"), template_bytes(kind, "xlsx", lang),
        file_name=downloads.file_name(f"template_{kind}", lang, suffix="xlsx"), key="template_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

actor = sidebar.actor()
zone = upload_flow.zone_input(actor, lang)
saved = zone_profile(engine(), actor, zone, kind) if zone else None
if saved is not None:
    st.caption(t("upload.profile_reused", zone=formatting.plain(zone)))
profile, profile_read = upload_flow.profile_upload(lang, saved)
profile = profile or MappingProfile(kind=kind)
profile = upload_flow.with_missing_field(profile, kind, lang)
profile = upload_flow.with_reading_settings(profile, lang)
upload = st.file_uploader(
    t("upload.file_kind", kind=translate(f"kind.{kind}", lang)),
    type=["csv", "txt", "tsv", "xlsx", "xls", "ods"],
    key=upload_flow.uploader_key(fresh=st.session_state.pop("_upload_clear", False)),
    help=t("upload.widget_language"))
upload_flow.uploader_words(lang)
stored_message = st.session_state.pop("stored_message", None)
if stored_message and upload is None:
    st.success(stored_message)

if upload is not None:
    content = upload.getvalue()
    sheet = upload_flow.sheet_choice(content, lang)
    report = upload_flow.checked_upload(content, upload.name, profile, zone, kind, sheet, lang)
    if report.columns:
        st.subheader(t("upload.mapping_title"))
        columns = upload_flow.column_editor(report, profile, lang)
        values = upload_flow.value_editor(report, profile, lang, upload_key(content))
        edited = upload_flow.merged_profile(profile, columns, values)
        if upload_flow.mapping_changed(report, columns, values):
            report = upload_flow.checked_upload(content, upload.name, edited, zone, kind, sheet,
                                                lang)
        profile = edited
    if report.valid:
        st.success(t("upload.valid", rows=formatting.count(report.rows, lang),
                     shape=t(f"shape.{report.shape}")))
        if report.warnings:
            st.dataframe(upload_flow.problem_table(report.warnings, lang), hide_index=True)
        current = sidebar.active_dataset() or Dataset("", "", None)
        rows_zones, duplicates = workspace_view.where_rows_go(actor, report.extract, zone, kind,
                                                              content, lang)
        named = workspace_view.zone_list(rows_zones)
        may_store = all(workspace_view.writable(actor, z) for z in rows_zones)
        store_column, use_column, save_column = st.columns(3)
        versions = sorted(set(duplicates["version"].tolist())) if not duplicates.empty else []
        store_label = (t("upload.already_stored_as", count=len(versions),
                         versions=", ".join(map(str, versions))) if versions
                       else t("upload.store_for", zones=named))
        if may_store and store_column.button(store_label, type="primary",
                                             key="store_extract",
                                             disabled=not (duplicates.empty and profile_read)):
            stored_versions = upload_flow.with_progress(
                lambda _: workspace_view.attempt(lambda: workspace_view.store(
                    actor, report.extract, content, upload.name, profile, zone, None), lang),
                lang, ("storing",))
            if stored_versions:
                use_dataset(None)
                st.session_state["zone"] = stored_versions[0].zone
                st.session_state["stored_message"] = workspace_view.stored_sentence(
                    stored_versions, lang)
                st.session_state["_upload_clear"] = True
                st.rerun()
        if not profile_read:
            st.caption(t("upload.profile_fix_first"))
        if not may_store:
            st.caption(t("upload.sign_in_to_store") if not actor.signed_in
                       else t("upload.not_writable", zones=named))
        if use_column.button(t("upload.use"), key="use_extract"):
            upload_flow.use_extract(current, content, kind, upload.name, report.extract)
        if zone and workspace_view.writable(actor, zone) and save_column.button(
                t("upload.save_profile", zone=zone), key="save_profile",
                disabled=not profile_read):
            if workspace_view.attempt(lambda: save_zone_profile(engine(), actor, zone, profile),
                                      lang):
                st.toast(t("upload.profile_saved", zone=formatting.plain(zone)))
    else:
        st.error(t("upload.invalid", count=len(report.errors)))
        upload_flow.offers(report, lang)
        problems = upload_flow.problem_table(report.errors + report.warnings, lang)
        st.dataframe(problems, hide_index=True, key="problems")
        st.download_button(t("upload.download_report"), downloads.csv_bytes(problems, lang),
                           file_name=downloads.file_name("validation_report", lang, suffix="csv"),
                           mime="text/csv",
                           key="download_report")
