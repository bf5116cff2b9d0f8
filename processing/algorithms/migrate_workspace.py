"""wpzf:migrateworkspace — 工作空间迁移: a GeoPackage workspace ⇄ a shared PostGIS workspace, verified."""
from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterProviderConnection,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...adapters.pg_connection import PgConnectionError, connect_kwargs, describe
from ...domain.messages import WpzfError
from ...domain.progress import Canceled
from ...domain.workspace.postgis import migrate
from ...domain.workspace.postgis.store import DEFAULT_SCHEMA
from .base import WpzfAlgorithm


class MigrateWorkspaceAlgorithm(WpzfAlgorithm):
    """Copy every table, geometry, evidence file and the audit history, then prove both sides match."""

    NAME = "migrateworkspace"
    GROUP = "workspace"
    DIRECTION, GPKG, CONNECTION, SCHEMA, OUTPUT = "DIRECTION", "GPKG", "CONNECTION", "SCHEMA", "OUTPUT"
    TO_POSTGIS, TO_GPKG = 0, 1

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Migrate workspace (GeoPackage ⇄ PostGIS)")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Copies a GeoPackage workspace into a new schema of a PostgreSQL/PostGIS database (for an office that "
            "shares one workspace), or a PostGIS workspace into a new GeoPackage. Every table and row, geometries "
            "exactly, evidence files (checked by SHA-256) and the audit and stage history are copied; the target "
            "is never overwritten. The report lists row counts and SHA-256 checksums per table on both sides; "
            "the copy is committed only when they all match. CONNECTION is the name of a PostgreSQL connection "
            "saved in QGIS; its password stays in QGIS's authentication manager.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterEnum(
            self.DIRECTION, self.tr("Direction"),
            [self.tr("GeoPackage → PostGIS"), self.tr("PostGIS → GeoPackage")], defaultValue=self.TO_POSTGIS))
        self.addParameter(QgsProcessingParameterFile(
            self.GPKG, self.tr("Workspace GeoPackage (source, or new file to create)"),
            behavior=QgsProcessingParameterFile.File, extension="gpkg"))
        self.addParameter(QgsProcessingParameterProviderConnection(
            self.CONNECTION, self.tr("QGIS PostgreSQL connection name"), "postgres"))
        self.addParameter(QgsProcessingParameterString(
            self.SCHEMA, self.tr("Workspace schema"), DEFAULT_SCHEMA))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Migration report"), QgsProcessing.TypeVector))
        self.addOutput(QgsProcessingOutputNumber("ROWS", self.tr("Rows copied")))

    def checkParameterValues(self, parameters, context):  # noqa: N802
        # the GeoPackage of the PostGIS → GeoPackage direction does not exist yet
        if self.parameterAsEnum(parameters, self.DIRECTION, context) == self.TO_GPKG:
            path = self.parameterAsString(parameters, self.GPKG, context)
            if path and Path(path).exists():
                return False, self.tr("{path} already exists; a workspace is never overwritten.").format(path=path)
            return True, ""
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        direction = self.parameterAsEnum(parameters, self.DIRECTION, context)
        path = Path(self.parameterAsString(parameters, self.GPKG, context))
        name = (self.parameterAsConnectionName(parameters, self.CONNECTION, context) or "").strip()
        schema = self.parameterAsString(parameters, self.SCHEMA, context).strip() or DEFAULT_SCHEMA
        try:
            params = connect_kwargs(name)
        except PgConnectionError as exc:
            raise QgsProcessingException(str(exc)) from exc
        feedback.pushInfo(self.tr("Connection {name}: {target}, schema {schema}").format(
            name=name, target=describe(params), schema=schema))
        progress = lambda f: feedback.setProgress(100 * f)  # noqa: E731
        try:
            if direction == self.TO_POSTGIS:
                report = migrate.gpkg_to_postgis(path, params, schema, progress, feedback.isCanceled)
            else:
                report = migrate.postgis_to_gpkg(params, path, schema, progress, feedback.isCanceled)
        except Canceled:
            feedback.reportError(self.tr("Canceled; nothing was copied."))
            return {}
        except WpzfError as exc:
            raise self.fail(exc) from exc
        finally:
            params.clear()  # the password lives no longer than the copy
        feedback.pushInfo(self.tr("{rows} rows in {tables} tables copied in {seconds:.1f} s; checksums match.").format(
            rows=report.rows, tables=len(report.tables), seconds=report.seconds))
        dest = self._write_report(parameters, context, report)
        return {self.OUTPUT: dest, "ROWS": report.rows}

    def _write_report(self, parameters, context, report: migrate.MigrationReport):
        fields = QgsFields()
        for field_name, kind in (("BM", QVariant.String), ("YHS", QVariant.LongLong), ("MBHS", QVariant.LongLong),
                                 ("YSHA256", QVariant.String), ("MBSHA256", QVariant.String),
                                 ("YZ", QVariant.Int)):
            fields.append(QgsField(field_name, kind))
        sink, dest = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.NoGeometry)
        if sink is None:
            return None
        for check in report.tables:
            feature = QgsFeature(fields)
            feature.setAttributes([check.table, check.source_rows, check.target_rows, check.source_sha256,
                                   check.target_sha256, int(check.ok)])
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        return dest
