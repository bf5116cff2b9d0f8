<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../processing/overlay_io.py" line="35"/>
        <source>Ellipsoidal on CGCS2000 (official)</source>
        <translation>CGCS2000 椭球面积（官方口径）</translation>
    </message>
    <message>
        <location filename="../processing/overlay_io.py" line="35"/>
        <source>Planar in the patches&apos; projected CRS</source>
        <translation>图斑投影坐标系下的平面面积</translation>
    </message>
    <message>
        <location filename="../processing/overlay_io.py" line="57"/>
        <source>Planar areas need a projected PATCHES layer; {crs} is geographic. Use the ellipsoidal method or reproject the patches.</source>
        <translation>平面面积要求图斑图层为投影坐标系；{crs} 是地理坐标系。请使用椭球面积，或先将图斑投影。</translation>
    </message>
    <message>
        <location filename="../processing/overlay_io.py" line="90"/>
        <source>Layer {layer} has no field {field} (parameter {parameter}).</source>
        <translation>图层 {layer} 中没有字段 {field}（参数 {parameter}）。</translation>
    </message>
    <message>
        <location filename="../processing/overlay_io.py" line="135"/>
        <source>Input field {field} is replaced by the computed value.</source>
        <translation>输入字段 {field} 将被计算结果替换。</translation>
    </message>
</context>
<context>
    <name>CreateWorkspaceAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="32"/>
        <source>Create workspace</source>
        <translation>新建工作空间</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="48"/>
        <source>Workspace</source>
        <translation>工作空间</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="35"/>
        <source>Creates an empty WPZF workspace: a GeoPackage with the patch layer, audit and stage-lock triggers, plus an evidence/ folder beside it. The CRS must be a CGCS2000 Gauss-Kruger zone (Yongchuan: EPSG:4523). An existing file is never overwritten.</source>
        <translation>新建一个空的卫片执法工作空间：包含图斑图层、审计与阶段锁定触发器的 GeoPackage，以及同目录下的 evidence/ 佐证资料文件夹。坐标系必须是 CGCS2000 高斯-克吕格分带（永川：EPSG:4523）。已存在的文件绝不会被覆盖。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="41"/>
        <source>Workspace (.gpkg)</source>
        <translation>工作空间（.gpkg）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="41"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="43"/>
        <source>Workspace CRS</source>
        <translation>工作空间坐标系</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="56"/>
        <source>The workspace CRS must be a CGCS2000 Gauss-Kruger zone (EPSG:4491–4554), not {crs}; for this area use EPSG:{suggested}.</source>
        <translation>工作空间坐标系必须是 CGCS2000 高斯-克吕格分带（EPSG:4491–4554），而不是 {crs}；该区域请使用 EPSG:{suggested}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="69"/>
        <source>Chinese field aliases could not be stored: {problem}</source>
        <translation>无法保存字段中文别名：{problem}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="45"/>
        <source>Rule set</source>
        <translation>规则集</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="70"/>
        <source>Workspace {path} created in EPSG:{epsg} with rule set {ruleset}.</source>
        <translation>已在 EPSG:{epsg} 下新建工作空间 {path}，规则集 {ruleset}。</translation>
    </message>
</context>
<context>
    <name>FarmlandOccupationAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="62"/>
        <source>Farmland occupation of patches</source>
        <translation>图斑占用耕地分析</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="65"/>
        <source>For every patch: its area, the farmland it covers (gross and net of the deduction coefficient KCXS, by paddy, irrigated and dry land), the permanent basic farmland it covers, and the share of farmland. Exactly one output row per input patch, in input order; invalid geometry is repaired and flagged, never dropped; overlapping land-use polygons are never counted twice. Ellipsoidal areas use the official CGCS2000 formula in a Gauss-Kruger zone. BREAKDOWN lists every land class in each patch with its broad class.</source>
        <translation>逐图斑计算：图斑面积、占用耕地面积（毛面积及扣除田坎系数 KCXS 后的净面积，分水田、水浇地、旱地）、占用永久基本农田面积和占耕比例。每个输入图斑恰好输出一行，顺序与输入一致；无效几何会被修复并标记，绝不丢弃；三调图斑相互重叠的部分绝不重复计算。椭球面积在高斯-克吕格分带下按 CGCS2000 官方公式计算。地类明细（BREAKDOWN）列出每个图斑内的全部地类及其三大类。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="75"/>
        <source>Land use (三调 DLTB)</source>
        <translation>土地利用现状（三调地类图斑 DLTB）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="77"/>
        <source>Land class code field</source>
        <translation>地类编码字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="79"/>
        <source>Farmland class codes</source>
        <translation>耕地地类编码</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="81"/>
        <source>Deduction coefficient field (empty: no deduction)</source>
        <translation>扣除系数字段（留空：不扣除）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="84"/>
        <source>Permanent basic farmland</source>
        <translation>永久基本农田</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="87"/>
        <source>Area method</source>
        <translation>面积计算方法</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="89"/>
        <source>Farmland occupation</source>
        <translation>占用耕地分析结果</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="91"/>
        <source>Land-class breakdown</source>
        <translation>地类明细</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="99"/>
        <source>PATCHES and LANDUSE must be polygon layers.</source>
        <translation>PATCHES 与 LANDUSE 必须是面图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="109"/>
        <source>Working CRS {crs}, area method {method}</source>
        <translation>计算坐标系 {crs}，面积方法 {method}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="122"/>
        <source>{patches} patches, {landuse} land-use polygons</source>
        <translation>{patches} 个图斑，{landuse} 个地类图斑</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="136"/>
        <source>{n} invalid land-use polygons were repaired and used.</source>
        <translation>{n} 个无效的地类图斑已修复并参与计算。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="168"/>
        <source>not covered by land use</source>
        <translation>无三调地类覆盖</translation>
    </message>
</context>
<context>
    <name>ImportPatchesAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="52"/>
        <source>Import delivered patches</source>
        <translation>导入下发图斑</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="89"/>
        <source>Workspace</source>
        <translation>工作空间</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="55"/>
        <source>Imports a monthly delivery of remote-sensing change patches into a batch of a WPZF workspace (a GeoPackage, created if missing). Reprojects to the workspace&apos;s CGCS2000 Gauss-Kruger zone, detects GBK or UTF-8 text in shapefiles without a .cpg, repairs invalid geometry and flags it, rejects null geometry, and reports every problem patch. The import is all or nothing; importing the same file again changes nothing.</source>
        <translation>将部下发的月度遥感监测图斑导入 WPZF 工作空间（GeoPackage，不存在时自动创建）的指定批次。自动投影到工作空间的 CGCS2000 高斯-克吕格分带坐标系，识别无 .cpg 文件的 Shapefile 中的 GBK 或 UTF-8 编码，修复并标记无效几何，拒绝空几何，并逐一报告每个问题图斑。导入要么全部成功、要么完全不改动；重复导入同一文件不会产生任何变化。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="64"/>
        <source>Delivered patches (Shapefile, GeoPackage, FileGDB, GeoJSON)</source>
        <translation>下发图斑（Shapefile、GeoPackage、FileGDB、GeoJSON）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="67"/>
        <source>Workspace (.gpkg, created if missing)</source>
        <translation>工作空间（.gpkg，不存在时自动创建）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="70"/>
        <source>Batch name, e.g. 2022-05</source>
        <translation>批次名称，如 2022-05</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="71"/>
        <source>Date received (yyyy-mm-dd); the decision is due 20 days later</source>
        <translation>接收日期（yyyy-mm-dd）；合法性判定期限为其后 20 日</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="74"/>
        <source>Patch ID field</source>
        <translation>图斑编号字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="75"/>
        <source>Shapefile text encoding (auto = detect)</source>
        <translation>Shapefile 属性编码（auto = 自动识别）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="77"/>
        <source>CRS of the delivery when the file declares none</source>
        <translation>数据未声明坐标系时使用的坐标系</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="79"/>
        <source>CRS of a new workspace (default: detected 3° zone)</source>
        <translation>新建工作空间的坐标系（默认：自动识别的 3° 分带）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="81"/>
        <source>Import report</source>
        <translation>导入报告</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="83"/>
        <source>Patches imported</source>
        <translation>导入图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="83"/>
        <source>Patches repaired</source>
        <translation>修复图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="83"/>
        <source>Patches rejected</source>
        <translation>拒绝图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="83"/>
        <source>Duplicate patches</source>
        <translation>重复图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="83"/>
        <source>Re-issued patches</source>
        <translation>重复下发图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="88"/>
        <source>Already imported, nothing changed</source>
        <translation>已导入过，未作改动</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="94"/>
        <source>The delivery could not be opened as a vector layer.</source>
        <translation>无法将下发数据作为矢量图层打开。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="96"/>
        <source>The delivery {name} is a {type} layer; patches must be polygons.</source>
        <translation>下发数据 {name} 是{type}图层；图斑必须是面。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="101"/>
        <source>Give the workspace file (.gpkg).</source>
        <translation>请指定工作空间文件（.gpkg）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="104"/>
        <source>The received date RECEIVED is missing or not yyyy-mm-dd.</source>
        <translation>接收日期 RECEIVED 缺失或不是 yyyy-mm-dd 格式。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="114"/>
        <source>The delivery {name} declares no CRS; give it in SOURCE_CRS (e.g. EPSG:4490).</source>
        <translation>下发数据 {name} 未声明坐标系；请在 SOURCE_CRS 中指定（如 EPSG:4490）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="118"/>
        <source>Shapefile text encoding: {encoding}</source>
        <translation>Shapefile 属性编码：{encoding}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="121"/>
        <source>Source {name}, SHA-256 {sha}</source>
        <translation>来源文件 {name}，SHA-256 {sha}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="141"/>
        <source>This file was already imported into batch {batch}; nothing changed.</source>
        <translation>该文件已导入批次 {batch}，本次未作任何改动。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="153"/>
        <source>Imported {imported}, repaired {repaired}, rejected {rejected}, duplicate {duplicate}, re-issued {reissued}.</source>
        <translation>导入 {imported} 个，修复 {repaired} 个，拒绝 {rejected} 个，重复 {duplicate} 个，重复下发 {reissued} 个。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="162"/>
        <source>WORKSPACE_CRS must be a projected CGCS2000 Gauss-Kruger CRS, not {crs}.</source>
        <translation>WORKSPACE_CRS 必须是 CGCS2000 高斯-克吕格投影坐标系，而不是 {crs}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="175"/>
        <source>repaired</source>
        <translation>已修复</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="175"/>
        <source>rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="176"/>
        <source>duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="176"/>
        <source>re-issued</source>
        <translation>重复下发</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="176"/>
        <source>warning</source>
        <translation>警告</translation>
    </message>
</context>
<context>
    <name>MainMenu</name>
    <message>
        <location filename="../ui/main_menu.py" line="25"/>
        <source>WPZF Land Enforcement</source>
        <translation>卫片执法</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="30"/>
        <source>Open workspace…</source>
        <translation>打开工作空间…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="31"/>
        <source>Import delivered patches…</source>
        <translation>导入下发图斑…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="63"/>
        <source>Open WPZF workspace</source>
        <translation>打开卫片执法工作空间</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="63"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="75"/>
        <source>WPZF</source>
        <translation>卫片执法</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="29"/>
        <source>New workspace…</source>
        <translation>新建工作空间…</translation>
    </message>
</context>
<context>
    <name>MissingDependenciesPlugin</name>
    <message>
        <location filename="../missing_dependencies.py" line="21"/>
        <source>WPZF needs these Python packages: {packages}. Install them with: {command}</source>
        <translation>卫片执法插件需要以下 Python 软件包：{packages}。安装命令：{command}</translation>
    </message>
</context>
<context>
    <name>OverlaySummaryAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="46"/>
        <source>Overlay summary of patches</source>
        <translation>图斑叠加分析</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="49"/>
        <source>For every patch: the area covered by an overlay layer (approvals, land supply, temporary use, facility agriculture, cadastral parcels, mining rights), its share of the patch, the number of overlay features and their key fields (e.g. approval numbers) joined. Overlapping overlay features are counted once in the covered area. DETAIL lists every patch and overlay feature pair.</source>
        <translation>逐图斑计算叠加图层（农转用审批、土地供应、临时用地、设施农用地、地籍宗地、矿业权等）覆盖的面积、占图斑比例、叠加要素个数及其关键字段（如批准文号）。叠加要素相互重叠的部分在覆盖面积中只计一次。叠加明细（DETAIL）列出每个图斑与叠加要素的组合。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="57"/>
        <source>Overlay layer</source>
        <translation>叠加图层</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="59"/>
        <source>Key fields to carry (e.g. PZWH)</source>
        <translation>需带出的关键字段（如批准文号 PZWH）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="62"/>
        <source>Area method</source>
        <translation>面积计算方法</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="64"/>
        <source>Overlay summary</source>
        <translation>叠加分析结果</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="66"/>
        <source>Overlay detail</source>
        <translation>叠加明细</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="73"/>
        <source>PATCHES and OVERLAY must be polygon layers.</source>
        <translation>PATCHES 与 OVERLAY 必须是面图层。</translation>
    </message>
</context>
<context>
    <name>PrejudgeAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="51"/>
        <source>Legality pre-judgement</source>
        <translation>合法性预判</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="54"/>
        <source>Suggests a decision (判定类型 and 具体情形) for every patch of a workspace batch from the land use, the permanent basic farmland and the approval-type layers given in COVERS (each recognised by its name, e.g. NYDZY, TDGY, LSYD, SSNYD), following the rule set's rules in order. Each suggestion names the rule that fired and its evidence (shares, document numbers, areas). Suggestions are stored beside the technician's decision and never overwrite it.</source>
        <translation>根据三调地类、永久基本农田以及 COVERS 中给出的审批类图层（按图层名识别，如 NYDZY、TDGY、LSYD、SSNYD），按规则集中的规则顺序，为工作空间批次中的每个图斑给出建议的判定类型和具体情形。每条建议都注明命中的规则及其依据（覆盖比例、批准文号、面积）。预判结果与技术人员的判定分开保存，绝不覆盖人工判定。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="63"/>
        <source>Land use (三调 DLTB)</source>
        <translation>土地利用现状（三调地类图斑 DLTB）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="65"/>
        <source>Permanent basic farmland</source>
        <translation>永久基本农田</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="67"/>
        <source>Approval-type layers (NYDZY, TDGY, LSYD, SSNYD, …)</source>
        <translation>审批类图层（NYDZY、TDGY、LSYD、SSNYD 等）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="70"/>
        <source>Pre-judgement</source>
        <translation>预判结果</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="72"/>
        <source>Patches with a stored suggestion</source>
        <translation>已保存预判的图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="92"/>
        <source>{n} patches of locked batches were judged but not stored.</source>
        <translation>{n} 个已锁定批次的图斑已预判但未保存。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="95"/>
        <source>Rule set {ruleset}: {n} suggestions stored.</source>
        <translation>规则集 {ruleset}：已保存 {n} 条预判建议。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="130"/>
        <source>{layer}: {kind}, document numbers from {field}</source>
        <translation>{layer}：{kind}，文号取自字段 {field}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="143"/>
        <source>Layer {layer} is not a known approval-type layer; name it after one of: {kinds}.</source>
        <translation>图层 {layer} 不是已知的审批类图层；请按以下之一命名：{kinds}。</translation>
    </message>
</context>
<context>
    <name>QualityCheckAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="37"/>
        <source>Quality check</source>
        <translation>质检</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="40"/>
        <source>Runs the consistency checks of the workspace&apos;s rule set (deadlines, documents for legal patches, case or referral and rectification plan for illegal ones, area identities, split patches, category values) and lists one row per patch and broken rule. Results are stored in the workspace. A stage cannot be submitted while errors remain; warnings may pass.</source>
        <translation>按工作空间规则集执行一致性检查（判定期限、合法图斑的批准文号或佐证、违法图斑的立案或移交及整改方案、面积关系、拆分地块、类别取值），每个图斑每条未通过的规则输出一行，结果保存到工作空间。存在错误时不能上报；警告可以通过。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="48"/>
        <source>Check as of (empty: today)</source>
        <translation>检查日期（留空：今天）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="50"/>
        <source>Quality-check results</source>
        <translation>质检结果</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="52"/>
        <source>Errors</source>
        <translation>错误数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="53"/>
        <source>Warnings</source>
        <translation>警告数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="54"/>
        <source>Stage may be submitted</source>
        <translation>可以上报</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="82"/>
        <source>Rule set {ruleset}: {errors} errors, {warnings} warnings.</source>
        <translation>规则集 {ruleset}：{errors} 个错误，{warnings} 个警告。</translation>
    </message>
</context>
<context>
    <name>WpzfAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/base.py" line="22"/>
        <source>Workspace</source>
        <translation>工作空间</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="23"/>
        <source>Office comparison</source>
        <translation>内业比对</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="24"/>
        <source>Legality judgement</source>
        <translation>合法性判定</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="59"/>
        <source>Workspace (.gpkg)</source>
        <translation>工作空间（.gpkg）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="62"/>
        <source>Batch (empty: all)</source>
        <translation>批次（留空：全部）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="64"/>
        <source>Rule set (empty: the workspace&apos;s)</source>
        <translation>规则集（留空：使用工作空间的规则集）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="73"/>
        <source>Patches</source>
        <translation>图斑</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="75"/>
        <source>Patch ID field</source>
        <translation>图斑编号字段</translation>
    </message>
</context>
<context>
    <name>WpzfProvider</name>
    <message>
        <location filename="../processing/provider.py" line="26"/>
        <source>Satellite patch enforcement (WPZF)</source>
        <translation>卫片执法</translation>
    </message>
</context>
<context>
    <name>domain</name>
    <message>
        <location filename="../domain/intake/encoding.py" line="102"/>
        <source>No attribute file (.dbf) next to {path}.</source>
        <translation>{path} 旁没有属性表文件（.dbf）。</translation>
    </message>
    <message>
        <location filename="../domain/intake/encoding.py" line="110"/>
        <source>The text in {file} is neither UTF-8 nor GBK; give its encoding in the ENCODING parameter.</source>
        <translation>{file} 中的文字既不是 UTF-8 也不是 GBK 编码；请在 ENCODING 参数中指定编码。</translation>
    </message>
    <message>
        <location filename="../domain/intake/loader.py" line="95"/>
        <source>Already in batch {batch}; the stored patch was not overwritten.</source>
        <translation>批次 {batch} 中已有该图斑；未覆盖已存储的图斑。</translation>
    </message>
    <message>
        <location filename="../domain/intake/loader.py" line="101"/>
        <source>Re-issued: already delivered in batch {other}; imported as a new record, the earlier one is unchanged.</source>
        <translation>重复下发：该编号已在批次 {other} 下发；作为新记录导入，原记录未改动。</translation>
    </message>
    <message>
        <location filename="../processing/layer_io.py" line="125"/>
        <source>Import canceled; the workspace is unchanged.</source>
        <translation>导入已取消；工作空间未改动。</translation>
    </message>
    <message>
        <location filename="../domain/intake/loader.py" line="140"/>
        <source>Batch {batch} is locked; no patches can be imported into it.</source>
        <translation>批次 {batch} 已锁定，不能再导入图斑。</translation>
    </message>
    <message>
        <location filename="../domain/intake/loader.py" line="144"/>
        <source>Batch {batch} was received on {known}, not on RECEIVED={received}.</source>
        <translation>批次 {batch} 的接收日期已登记为 {known}，与 RECEIVED={received} 不一致。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="81"/>
        <source>The layer has no ID field {field!r}. Its fields are: {fields}.</source>
        <translation>图层中没有编号字段 {field!r}。现有字段：{fields}。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="103"/>
        <source>Field {field} repeats {count} IDs within the file: {ids}. Nothing was imported.</source>
        <translation>字段 {field} 在文件内有 {count} 个重复编号：{ids}。未导入任何图斑。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="131"/>
        <source>Field {field} value {value!r} is not a number; kept as delivered in YSSX.</source>
        <translation>字段 {field} 的值 {value!r} 不是数值；原值保留在原始属性 YSSX 中。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="146"/>
        <source>Feature {index} has an empty ID field {field}.</source>
        <translation>第 {index} 个要素的编号字段 {field} 为空。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="151"/>
        <source>Null geometry.</source>
        <translation>几何为空（NULL）。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="156"/>
        <source>Empty geometry.</source>
        <translation>几何为空（无坐标）。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="160"/>
        <source>Geometry type {type} is not a polygon.</source>
        <translation>几何类型 {type} 不是面。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="165"/>
        <source>Invalid geometry that repairs to no polygon: {reason}.</source>
        <translation>几何无效且修复后不含面：{reason}。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="172"/>
        <source>Repaired invalid geometry ({reason}); area after repair {area:.2f} m².</source>
        <translation>已修复无效几何（{reason}）；修复后面积 {area:.2f} 平方米。</translation>
    </message>
    <message>
        <location filename="../domain/intake/service.py" line="37"/>
        <source>The batch name BATCH is empty.</source>
        <translation>批次名称 BATCH 为空。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="47"/>
        <source>Received date RECEIVED must be yyyy-mm-dd, got {value!r}.</source>
        <translation>接收日期 RECEIVED 必须是 yyyy-mm-dd 格式，实际为 {value!r}。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="88"/>
        <source>Workspace {path} already exists; it is never overwritten.</source>
        <translation>工作空间 {path} 已存在；不会覆盖。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="116"/>
        <source>Workspace file not found: {path}</source>
        <translation>找不到工作空间文件：{path}</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="127"/>
        <source>{path} is not a WPZF workspace (no wpzf_schema_version table).</source>
        <translation>{path} 不是卫片执法工作空间（没有 wpzf_schema_version 表）。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="133"/>
        <source>Workspace {path} has schema version {found}; this plugin needs {needed}. Update the plugin.</source>
        <translation>工作空间 {path} 的结构版本为 {found}；本插件需要 {needed}。请更新插件。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="193"/>
        <source>Unlocking batch {batch} needs a reason.</source>
        <translation>解锁批次 {batch} 必须填写原因。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="199"/>
        <source>Unknown stage {stage!r}; stages are {stages}.</source>
        <translation>未知阶段 {stage!r}；可选阶段：{stages}。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="212"/>
        <source>The workspace has no batch {batch!r}.</source>
        <translation>工作空间中没有批次 {batch!r}。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="222"/>
        <source>The workspace records no CRS (wpzf_meta.crs_epsg).</source>
        <translation>工作空间没有记录坐标系（wpzf_meta.crs_epsg）。</translation>
    </message>
    <message>
        <location filename="../domain/crs.py" line="28"/>
        <source>Longitude {longitude:.4f}°E is outside the CGCS2000 Gauss-Kruger zones {low}–{high}.</source>
        <translation>经度 {longitude:.4f}°E 超出 CGCS2000 高斯-克吕格分带范围（{low}–{high} 带）。</translation>
    </message>
    <message>
        <location filename="../domain/progress.py" line="23"/>
        <source>Canceled; nothing was changed.</source>
        <translation>已取消；未作任何改动。</translation>
    </message>
    <message>
        <location filename="../domain/overlay/farmland.py" line="84"/>
        <source>Land-use feature {number}: deduction coefficient {value!r} is not a number.</source>
        <translation>地类图斑第 {number} 个要素：扣除系数 {value!r} 不是数值。</translation>
    </message>
    <message>
        <location filename="../domain/overlay/farmland.py" line="90"/>
        <source>Land-use feature {number}: deduction coefficient {value} is outside 0–1.</source>
        <translation>地类图斑第 {number} 个要素：扣除系数 {value} 不在 0–1 之间。</translation>
    </message>
    <message>
        <location filename="../domain/rules/prejudge.py" line="76"/>
        <source>Rule {rule} suggests {category}: {explanation}</source>
        <translation>规则 {rule} 建议判定为 {category}：{explanation}</translation>
    </message>
    <message>
        <location filename="../domain/rules/source.py" line="170"/>
        <source>Rule file {file} cannot be read: no TOML reader; install it with: python -m pip install tomli</source>
        <translation>无法读取规则文件 {file}：缺少 TOML 读取模块，请运行：python -m pip install tomli</translation>
    </message>
    <message>
        <location filename="../domain/rules/source.py" line="176"/>
        <source>Rule file {file} cannot be read: {detail}</source>
        <translation>无法读取规则文件 {file}：{detail}</translation>
    </message>
    <message>
        <location filename="../domain/rules/source.py" line="182"/>
        <source>Rule file {file}, line {line}, column {column}: not valid TOML: {detail}</source>
        <translation>规则文件 {file} 第 {line} 行第 {column} 列：TOML 格式错误：{detail}</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="24"/>
        <source>Rule file {file}, line {line}: {key} is missing.</source>
        <translation>规则文件 {file} 第 {line} 行：缺少 {key}。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="24"/>
        <source>Rule file {file}, line {line}, rule {rule}: {key} is missing.</source>
        <translation>规则文件 {file} 第 {line} 行，规则 {rule}：缺少 {key}。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="27"/>
        <source>Rule file {file}, line {line}: {key} = {value!r} has the wrong type; write it like {key} = {example}</source>
        <translation>规则文件 {file} 第 {line} 行：{key} = {value!r} 类型不对，应写成 {key} = {example}</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="27"/>
        <source>Rule file {file}, line {line}, rule {rule}: {key} = {value!r} has the wrong type; write it like {key} = {example}</source>
        <translation>规则文件 {file} 第 {line} 行，规则 {rule}：{key} = {value!r} 类型不对，应写成 {key} = {example}</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="30"/>
        <source>Rule file {file}, line {line}: unknown setting {key}; check the spelling.</source>
        <translation>规则文件 {file} 第 {line} 行：无法识别的设置 {key}，请检查拼写。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="30"/>
        <source>Rule file {file}, line {line}, rule {rule}: unknown setting {key}; check the spelling.</source>
        <translation>规则文件 {file} 第 {line} 行，规则 {rule}：无法识别的设置 {key}，请检查拼写。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="33"/>
        <source>Rule file {file}, line {line}: {key} = {value!r} is not allowed; use one of {choices}.</source>
        <translation>规则文件 {file} 第 {line} 行：{key} 不能取 {value!r}，可选值：{choices}。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="33"/>
        <source>Rule file {file}, line {line}, rule {rule}: {key} = {value!r} is not allowed; use one of {choices}.</source>
        <translation>规则文件 {file} 第 {line} 行，规则 {rule}：{key} 不能取 {value!r}，可选值：{choices}。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="36"/>
        <source>Rule file {file}, line {line}: {key} = {value!r} is not defined in this rule set.</source>
        <translation>规则文件 {file} 第 {line} 行：{key} = {value!r} 在本规则集中没有定义。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="36"/>
        <source>Rule file {file}, line {line}, rule {rule}: {key} = {value!r} is not defined in this rule set.</source>
        <translation>规则文件 {file} 第 {line} 行，规则 {rule}：{key} = {value!r} 在本规则集中没有定义。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="39"/>
        <source>Rule file {file}, line {line}: {value!r} is defined twice (first at line {first}).</source>
        <translation>规则文件 {file} 第 {line} 行：{value!r} 重复定义（首次在第 {first} 行）。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="39"/>
        <source>Rule file {file}, line {line}, rule {rule}: the id is used twice (first at line {first}).</source>
        <translation>规则文件 {file} 第 {line} 行，规则 {rule}：规则编号重复（首次在第 {first} 行）。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="44"/>
        <source>Rule file {file}, line {line}, rule {rule}: unknown field {field}.</source>
        <translation>规则文件 {file} 第 {line} 行，规则 {rule}：无法识别的字段 {field}。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="45"/>
        <source>Rule file {file}, line {line}, rule {rule}: {field} {op} {value!r} is not a valid test for this field.</source>
        <translation>规则文件 {file} 第 {line} 行，规则 {rule}：条件 {field} {op} {value!r} 不适用于该字段。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="46"/>
        <source>Rule file {file}, line {line}, rule {rule}: placeholder {placeholder} is unknown or badly formatted.</source>
        <translation>规则文件 {file} 第 {line} 行，规则 {rule}：占位符 {placeholder} 无法识别或格式不对。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="47"/>
        <source>Rule file {file}, line {line}, rule {rule}: {field} is not an area field (亩 or m²).</source>
        <translation>规则文件 {file} 第 {line} 行，规则 {rule}：{field} 不是面积字段（亩或平方米）。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="48"/>
        <source>Rule file {file}, line {line}, rule {rule}: a rule without conditions must come last; the rules after it could never fire.</source>
        <translation>规则文件 {file} 第 {line} 行，规则 {rule}：不设条件的规则必须放在最后，否则其后的规则永远不会生效。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="49"/>
        <source>Rule file {file}, line {line}, rule {rule}: the last pre-judgement rule must have no conditions, so that every patch gets a suggestion.</source>
        <translation>规则文件 {file} 第 {line} 行，规则 {rule}：最后一条预判规则不能设条件（兜底），以保证每个图斑都有预判建议。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="50"/>
        <source>Rule file {file}, line {line}, rule {rule}: give order on every pre-judgement rule or on none.</source>
        <translation>规则文件 {file} 第 {line} 行，规则 {rule}：order 要么每条预判规则都写，要么都不写。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="53"/>
        <source>Rule file {file}, line {line}: exactly one category must have role {role}.</source>
        <translation>规则文件 {file} 第 {line} 行：role 为 {role} 的判定类型必须恰好有一个。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="54"/>
        <source>Rule file {file}, line {line}: alias {key!r} is itself a name in this rule set and cannot point elsewhere.</source>
        <translation>规则文件 {file} 第 {line} 行：别名 {key!r} 本身就是本规则集中的名称，不能再指向其他名称。</translation>
    </message>
    <message>
        <location filename="../domain/rules/reader.py" line="55"/>
        <source>Rule file {file}, line {line}: {key} is already a workspace column.</source>
        <translation>规则文件 {file} 第 {line} 行：{key} 已是工作空间字段，不能重复声明。</translation>
    </message>
    <message>
        <location filename="../processing/rulesets.py" line="18"/>
        <source>Unknown rule set {name!r}; available: {names}.</source>
        <translation>未知规则集 {name!r}；可用规则集：{names}。</translation>
    </message>
</context>
</TS>
