"""Temporary outputs carry the Chinese aliases on the layer, and no per-field "not compatible" warnings (QGIS 3.40)."""
from __future__ import annotations


class Recorder:
    def __init__(self):
        from qgis.core import QgsProcessingFeedback

        self.feedback = QgsProcessingFeedback()
        self.messages: list[str] = []
        self.feedback.pushWarning = self.messages.append  # type: ignore[method-assign]
        self.feedback.pushInfo = self.messages.append  # type: ignore[method-assign]


def test_farmland_occupation_to_a_temporary_layer_keeps_aliases_without_warnings(district, wpzf_processing):
    from qgis import processing
    from qgis.core import QgsProcessingContext, QgsProcessingUtils

    from wpzf.domain.workspace.columns import aliases

    context = QgsProcessingContext()
    recorder = Recorder()
    delivery = str(district.batches["2022-05"])
    result = processing.run("wpzf:farmlandoccupation", {
        "PATCHES": delivery, "LANDUSE": f"{district.landuse}|layername=DLTB",
        "BASIC_FARMLAND": f"{district.landuse}|layername=YJJBNTTB",
        "OUTPUT": "TEMPORARY_OUTPUT", "BREAKDOWN": "TEMPORARY_OUTPUT"}, context=context, feedback=recorder.feedback)
    output, breakdown = (value if not isinstance(value, str) else QgsProcessingUtils.mapLayerFromString(value, context)
                         for value in (result["OUTPUT"], result["BREAKDOWN"]))
    assert output.providerType() == breakdown.providerType() == "memory"
    assert output.featureCount() == 60
    shown = {output.fields().field(i).name(): output.attributeAlias(i) for i in range(output.fields().count())}
    assert shown["GDMJ"] == aliases(6)["GDMJ"] and shown["GDMJ_MU"] == "耕地面积(亩)"
    assert breakdown.attributeAlias(breakdown.fields().lookupField("JMJ_MU")) == "扣除田坎后面积(亩)"
    assert not [m for m in recorder.messages if "not compatible" in m], recorder.messages
