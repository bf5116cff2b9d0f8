<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../processing/overlay_io.py" line="41"/>
        <source>Ellipsoidal on CGCS2000 (official)</source>
        <translation>CGCS2000 椭球面积（官方口径）</translation>
    </message>
    <message>
        <location filename="../processing/overlay_io.py" line="41"/>
        <source>Planar in the patches&apos; projected CRS</source>
        <translation>图斑投影坐标系下的平面面积</translation>
    </message>
    <message>
        <location filename="../processing/overlay_io.py" line="69"/>
        <source>Planar areas need a projected PATCHES layer; {crs} is geographic. Use the ellipsoidal method or reproject the patches.</source>
        <translation>平面面积要求图斑图层为投影坐标系；{crs} 是地理坐标系。请使用椭球面积，或先将图斑投影。</translation>
    </message>
    <message>
        <location filename="../processing/overlay_io.py" line="199"/>
        <source>Layer {layer} has no field {field} (parameter {parameter}).</source>
        <translation>图层 {layer} 中没有字段 {field}（参数 {parameter}）。</translation>
    </message>
    <message>
        <location filename="../processing/overlay_io.py" line="284"/>
        <source>Input field {field} is replaced by the computed value.</source>
        <translation>输入字段 {field} 将被计算结果替换。</translation>
    </message>
    <message>
        <location filename="../processing/overlay_io.py" line="165"/>
        <source>The patch layer changed while it was being read.</source>
        <translation>读取过程中图斑图层发生了变化。</translation>
    </message>
    <message>
        <location filename="../adapters/pg_connection.py" line="62"/>
        <source>There is no QGIS PostgreSQL connection named {name!r}.</source>
        <translation>QGIS 中没有名为 {name!r} 的 PostgreSQL 连接。</translation>
    </message>
    <message>
        <location filename="../adapters/pg_connection.py" line="77"/>
        <source>The authentication configuration {authcfg} of connection {name!r} could not be read (is the master password set?).</source>
        <translation>无法读取连接 {name!r} 的认证配置 {authcfg}（是否已设置主密码？）。</translation>
    </message>
    <message>
        <location filename="../adapters/workspaces.py" line="191"/>
        <source>Workspace (.gpkg or postgres:&lt;connection&gt;[/&lt;schema&gt;])</source>
        <translation>工作空间（.gpkg 或 postgres:&lt;连接名&gt;[/&lt;模式&gt;]）</translation>
    </message>
    <message>
        <location filename="../adapters/workspaces.py" line="194"/>
        <source>A GeoPackage workspace file, or a shared PostGIS workspace written postgres:&lt;connection&gt;/&lt;schema&gt;: &lt;connection&gt; is the name of a PostgreSQL connection saved in QGIS (its password stays in the authentication manager), &lt;schema&gt; defaults to wpzf.</source>
        <translation>GeoPackage 工作空间文件，或写作 postgres:&lt;连接名&gt;/&lt;模式&gt; 的 PostGIS 共享工作空间：&lt;连接名&gt; 是 QGIS 中保存的 PostgreSQL 连接名称（密码保存在认证管理器中），&lt;模式&gt; 默认为 wpzf。</translation>
    </message>
    <message>
        <location filename="../ui/shared_workspace.py" line="41"/>
        <source>Open shared workspace</source>
        <translation>打开共享工作空间</translation>
    </message>
    <message>
        <location filename="../ui/shared_workspace.py" line="50"/>
        <source>PostgreSQL connection</source>
        <translation>PostgreSQL 连接</translation>
    </message>
    <message>
        <location filename="../ui/shared_workspace.py" line="51"/>
        <source>Workspace schema</source>
        <translation>工作空间模式</translation>
    </message>
    <message>
        <location filename="../ui/shared_workspace.py" line="61"/>
        <source>No PostgreSQL connection is saved in QGIS. Add one in Data Source Manager → PostgreSQL, with an authentication configuration for the credentials.</source>
        <translation>QGIS 中没有保存 PostgreSQL 连接。请在「数据源管理器 → PostgreSQL」中新建连接，凭据用认证配置保存。</translation>
    </message>
    <message>
        <location filename="../ui/shared_workspace.py" line="76"/>
        <source>No WPZF workspace in this database.</source>
        <translation>该数据库中没有卫片执法工作空间。</translation>
    </message>
    <message>
        <location filename="../ui/shared_workspace.py" line="91"/>
        <source>The patch layer of {workspace} cannot be loaded: {error}</source>
        <translation>无法加载 {workspace} 的图斑图层：{error}</translation>
    </message>
    <message>
        <location filename="../ui/shared_workspace.py" line="111"/>
        <source>WPZF</source>
        <translation>卫片执法</translation>
    </message>
    <message>
        <location filename="../ui/shared_workspace.py" line="111"/>
        <source>Shared workspace {workspace} opened; use it as WORKSPACE in the WPZF algorithms.</source>
        <translation>已打开共享工作空间 {workspace}；在卫片执法算法中把它作为工作空间（WORKSPACE）使用。</translation>
    </message>
    <message>
        <location filename="../ui/print_maps.py" line="84"/>
        <source>Open a workspace first: no patch layer (jctb) of a workspace is in the project.</source>
        <translation>请先打开工作空间：工程中没有工作空间的监测图斑图层（jctb）。</translation>
    </message>
    <message>
        <location filename="../ui/print_maps.py" line="90"/>
        <source>Patch-map layout</source>
        <translation>图斑核查图布局</translation>
    </message>
    <message>
        <location filename="../ui/print_maps.py" line="90"/>
        <source>The project already has the layout {name}. Replace it with a fresh one from the template? (No opens the existing layout with your changes.)</source>
        <translation>工程中已有布局 {name}。是否用模板新建一个替换它？（选“否”则打开现有布局，保留您的修改。）</translation>
    </message>
    <message>
        <location filename="../processing/division_io.py" line="123"/>
        <source>TOWNS gives town names only: {reason}</source>
        <translation>TOWNS 仅用于镇街名称：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/division_io.py" line="129"/>
        <source>The workspace holds no town boundaries and could not store TOWNS ({reason}); this run places {count} patches by TOWNS without storing them.</source>
        <translation>工作空间没有镇街界线，且无法保存 TOWNS（{reason}）；本次运行按 TOWNS 归属 {count} 个图斑，但不保存。</translation>
    </message>
    <message>
        <location filename="../processing/division_io.py" line="132"/>
        <source>The workspace held no town boundaries: TOWNS was stored as its towns (as wpzf:importdivisions does) and {count} patches were placed by the largest share; {outside} lie outside every town.</source>
        <translation>工作空间原来没有镇街界线：已把 TOWNS 保存为工作空间的镇街（与 wpzf:importdivisions 相同），{count} 个图斑按面积最大部分归属镇街；{outside} 个图斑不在任何镇街内。</translation>
    </message>
    <message>
        <location filename="../adapters/workspaces.py" line="211"/>
        <source>Shared workspace: PostgreSQL connection (instead of WORKSPACE)</source>
        <translation>共用工作空间：PostgreSQL 连接（代替 WORKSPACE）</translation>
    </message>
    <message>
        <location filename="../adapters/workspaces.py" line="214"/>
        <source>A PostgreSQL connection saved in QGIS (Data Source Manager → PostgreSQL); its sslmode and authentication configuration are used as QGIS uses them.</source>
        <translation>QGIS 中保存的 PostgreSQL 连接（数据源管理器 → PostgreSQL）；按 QGIS 的方式使用该连接的 sslmode 和认证配置。</translation>
    </message>
    <message>
        <location filename="../adapters/workspaces.py" line="216"/>
        <source>Shared workspace: schema</source>
        <translation>共用工作空间：模式（schema）</translation>
    </message>
</context>
<context>
    <name>AcceptanceCheckAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/acceptance_check.py" line="60"/>
        <source>Acceptance self-check</source>
        <translation>验收自查</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/acceptance_check.py" line="63"/>
        <source>Checks every patch of the batches received in PERIOD (2022, 2022-Q4, 2022-05; empty: all) for what the city's acceptance (市级验收) needs, and lists one row per patch and missing item: no decision; 合法 without an approval document or its file; no field photo; 立案 without case stages; rectified without 复耕/补办 evidence; review chain incomplete (no 审核 passed for the current decision); dossier never exported, or exported before the patch or its records last changed. TOWNS gives the totals per town and the district. CAN_ACCEPT is true only when nothing is missing.</source>
        <translation>按市级验收的要求检查 PERIOD（2022、2022-Q4、2022-05；留空：全部）期间接收批次的每个图斑，每个图斑的每个缺项一行：未判定；合法但无批准文号或批文文件；无现场照片；立案但无案件阶段记录；已整改但无复耕/补办佐证；审查链不完整（当前判定没有通过的审核）；卷宗从未导出，或导出后图斑及其记录又有修改。TOWNS 给出各镇街和全区合计。只有没有任何缺项时 CAN_ACCEPT 才为真。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/acceptance_check.py" line="73"/>
        <source>Period (year, quarter or month; empty: all)</source>
        <translation>期间（年、季度或月；留空：全部）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/acceptance_check.py" line="81"/>
        <source>Missing items</source>
        <translation>缺项</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/acceptance_check.py" line="77"/>
        <source>Totals per town</source>
        <translation>各镇街合计</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/acceptance_check.py" line="79"/>
        <source>Patches checked</source>
        <translation>已检查图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/acceptance_check.py" line="80"/>
        <source>Patches with missing items</source>
        <translation>有缺项的图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/acceptance_check.py" line="82"/>
        <source>Ready for acceptance</source>
        <translation>可以验收</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/acceptance_check.py" line="127"/>
        <source>{town} {name}: {patches} patches, {incomplete} incomplete, {items} missing items.</source>
        <translation>{town} {name}：图斑 {patches} 个，不完整 {incomplete} 个，缺项 {items} 项。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/acceptance_check.py" line="131"/>
        <source>Not ready for acceptance: {items} missing items in {patches} patches.</source>
        <translation>尚不能验收：{patches} 个图斑共缺 {items} 项。</translation>
    </message>
</context>
<context>
    <name>AnnualSummaryAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/annual_summary.py" line="35"/>
        <source>Annual written summary draft (Word)</source>
        <translation>年度书面总结初稿（Word）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/annual_summary.py" line="38"/>
        <source>Writes the first draft of the year's written summary (年度书面总结) as a .docx that WPS and Word edit: 工作开展情况 (the four quarters alone and cumulated, as at each quarter's end), 图斑核查判定, 查处整改 (with the town table), 违法占耕情况与考核线 (the three penalty lines explained, the district map and the charts), 约谈建议 (the rule set's ranking), 存在问题 and 下一步工作. Every number equals wpzf:townstatistics for the year as at the rule set's statistics end (2022 → 2022-12-31); what only people can write is left as a yellow 【待填写】 placeholder. Needs python-docx and matplotlib.</source>
        <translation>生成年度书面总结的初稿（.docx，可在 WPS 和 Word 中编辑）：工作开展情况（四个季度单季和累计，均截至季末）、图斑核查判定、查处整改（含镇街表）、违法占耕情况与考核线（三条考核线说明、全区分布图和图表）、约谈建议（按规则集排名）、存在问题和下一步工作。所有数字与同一年度的 wpzf:townstatistics 一致，截至规则集的统计截止日（2022 → 2022-12-31）；需要人工撰写的内容以黄色【待填写】标出。需要 python-docx 和 matplotlib。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/annual_summary.py" line="48"/>
        <source>Year (empty: the rule set&apos;s)</source>
        <translation>年度（留空：规则集的年度）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/annual_summary.py" line="51"/>
        <source>Town boundaries (optional when the workspace holds its towns)</source>
        <translation>镇街界线（工作空间已有镇街界线时可不填）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/annual_summary.py" line="54"/>
        <source>Town code field</source>
        <translation>镇街代码字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/annual_summary.py" line="56"/>
        <source>Town name field</source>
        <translation>镇街名称字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/annual_summary.py" line="58"/>
        <source>Summary draft</source>
        <translation>总结初稿</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/annual_summary.py" line="58"/>
        <source>Word documents (*.docx)</source>
        <translation>Word 文档 (*.docx)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/annual_summary.py" line="91"/>
        <source>The summary draft for {year} was written to {path}.</source>
        <translation>{year} 年度总结初稿已写入 {path}。</translation>
    </message>
</context>
<context>
    <name>BulletinAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/bulletin.py" line="56"/>
        <source>Work bulletin (PDF)</source>
        <translation>工作通报（PDF）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/bulletin.py" line="59"/>
        <source>A print-ready A4 bulletin (工作通报) for a month (2022-05), quarter (2022-Q2) or year (2022), as at the period's end or AS_OF: the three penalty lines (initial illegal farmland ≥ 100 mu, after rectification &gt; 50 mu, ratio &gt; 15 %, from the rule set) with the figures of wpzf:townstatistics for the same period; a district map with the towns shaded by counted illegal farmland, the patches by decision category, town names, legend, north arrow and scale bar; the year month by month (delivered, decided, illegal, rectified: district and the towns with the most illegal farmland) and rectification by town as charts; the towns ranked for 约谈 with the rule set's weights and described in sentences; and what changed since the previous bulletin (the end of the previous month or quarter; for a year, 30 September). Towns come from the workspace's boundaries (or TOWNS). OUTPUT_IMAGES, when given, receives the charts (PNG and SVG), the map and every page as PNG. Needs matplotlib.</source>
        <translation>按月（2022-05）、季度（2022-Q2）或年度（2022）生成可直接打印的 A4 工作通报，数据截至期末或 AS_OF：三条考核线（初始违法占用耕地 ≥ 100 亩、整改后 &gt; 50 亩、比例 &gt; 15%，取自规则集）及同期 wpzf:townstatistics 的数字；全区分布图（镇街按计入的违法占用耕地分级着色、图斑按判定类型着色、镇街名称、图例、指北针和比例尺）；本年度逐月走势（下发、已判定、违法、已整改：全区及违法占耕最多的镇街）和各镇街整改进度图表；按规则集权重的约谈排名及文字说明；以及与上一期通报相比的变化（上月末或上季末；年度通报为 9 月 30 日）。镇街取自工作空间的界线（或 TOWNS）。给出 OUTPUT_IMAGES 时，图表（PNG 和 SVG）、分布图和每一页的 PNG 也写入该文件夹。需要 matplotlib。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/bulletin.py" line="73"/>
        <source>Bulletin</source>
        <translation>通报</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/bulletin.py" line="73"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/bulletin.py" line="75"/>
        <source>Folder for the charts, map and page images</source>
        <translation>图表、分布图和页面图片的文件夹</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/bulletin.py" line="78"/>
        <source>Pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/bulletin.py" line="79"/>
        <source>Figures as at</source>
        <translation>数据截至</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/bulletin.py" line="101"/>
        <source>{pages} pages written to {path}, figures as at {as_of}.</source>
        <translation>已写入 {pages} 页到 {path}，数据截至 {as_of}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/bulletin.py" line="112"/>
        <source>{packages} is not installed; install it with: {command}</source>
        <translation>未安装 {packages}；安装命令：{command}</translation>
    </message>
</context>
<context>
    <name>CaseForm</name>
    <message>
        <location filename="../ui/forms/progress.py" line="223"/>
        <source>Case</source>
        <translation>立案查处</translation>
    </message>
    <message>
        <location filename="../ui/forms/progress.py" line="239"/>
        <source>yuan</source>
        <translation>元</translation>
    </message>
    <message>
        <location filename="../ui/forms/progress.py" line="241"/>
        <source>mu</source>
        <translation>亩</translation>
    </message>
    <message>
        <location filename="../ui/forms/progress.py" line="227"/>
        <source>Batch {batch} is locked (stage {stage}, locked {at} by {who}): case progress is appended as a new record and does not change the locked reported data.</source>
        <translation>批次 {batch} 已锁定（阶段 {stage}，{who} 于 {at} 锁定）：立案查处进展作为新记录追加，不改变锁定的上报数据。</translation>
    </message>
</context>
<context>
    <name>CaseworkForm</name>
    <message>
        <location filename="../ui/forms/base.py" line="232"/>
        <source>Read only: {reason}</source>
        <translation>只读：{reason}</translation>
    </message>
    <message>
        <location filename="../ui/forms/base.py" line="280"/>
        <source>Not saved: correct the errors listed above first.</source>
        <translation>未保存：请先改正上面列出的错误。</translation>
    </message>
    <message>
        <location filename="../ui/forms/base.py" line="291"/>
        <source>Not saved: {error}</source>
        <translation>未保存：{error}</translation>
    </message>
    <message>
        <location filename="../ui/forms/base.py" line="314"/>
        <source>Discard changes?</source>
        <translation>放弃修改？</translation>
    </message>
    <message>
        <location filename="../ui/forms/base.py" line="314"/>
        <source>The form has unsaved changes. Close it and discard them?</source>
        <translation>表单有未保存的修改。关闭并放弃这些修改吗？</translation>
    </message>
    <message>
        <location filename="../ui/forms/base.py" line="219"/>
        <source>Batch {batch} is locked (stage {stage}, locked {at} by {who}): rectification and referral progress is appended as a new record and does not change the locked reported data.</source>
        <translation>批次 {batch} 已锁定（阶段 {stage}，{who} 于 {at} 锁定）：整改、移交进展作为新记录追加，不改变锁定的上报数据。</translation>
    </message>
</context>
<context>
    <name>CompareDock</name>
    <message>
        <location filename="../ui/compare/view.py" line="60"/>
        <source>Imagery comparison</source>
        <translation>内业比对</translation>
    </message>
    <message>
        <location filename="../ui/compare/view.py" line="95"/>
        <source>Overlays</source>
        <translation>叠加图层</translation>
    </message>
    <message>
        <location filename="../ui/compare/view.py" line="97"/>
        <source>Keep scale</source>
        <translation>保持比例尺</translation>
    </message>
    <message>
        <location filename="../ui/compare/view.py" line="98"/>
        <source>Moving to the next patch re-centres the views at the current scale</source>
        <translation>切换到下一个图斑时按当前比例尺居中显示</translation>
    </message>
    <message>
        <location filename="../ui/compare/view.py" line="101"/>
        <source>Swipe</source>
        <translation>卷帘</translation>
    </message>
    <message>
        <location filename="../ui/compare/view.py" line="102"/>
        <source>Swipe on the main map: left of the mouse shows the before imagery</source>
        <translation>在主地图上卷帘：鼠标左侧显示前时相影像</translation>
    </message>
    <message>
        <location filename="../ui/compare/view.py" line="105"/>
        <source>Before</source>
        <translation>前时相</translation>
    </message>
    <message>
        <location filename="../ui/compare/view.py" line="105"/>
        <source>After</source>
        <translation>后时相</translation>
    </message>
    <message>
        <location filename="../ui/compare/view.py" line="250"/>
        <source>The patch does not fit at the kept scale: zoomed out to show all of it (1:{scale}).</source>
        <translation>图斑在保持的比例尺下显示不全：已缩小以显示整个图斑（1:{scale}）。</translation>
    </message>
</context>
<context>
    <name>CreateWorkspaceAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="33"/>
        <source>Create workspace</source>
        <translation>新建工作空间</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="36"/>
        <source>Creates an empty WPZF workspace: a GeoPackage with the patch layer, audit and stage-lock triggers, plus an evidence/ folder beside it. The CRS must be a CGCS2000 Gauss-Kruger zone (Yongchuan: EPSG:4523). An existing file is never overwritten.</source>
        <translation>新建一个空的卫片执法工作空间：包含图斑图层、审计与阶段锁定触发器的 GeoPackage，以及同目录下的 evidence/ 佐证资料文件夹。坐标系必须是 CGCS2000 高斯-克吕格分带（永川：EPSG:4523）。已存在的文件绝不会被覆盖。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="42"/>
        <source>Workspace (.gpkg)</source>
        <translation>工作空间（.gpkg）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="42"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="44"/>
        <source>Workspace CRS</source>
        <translation>工作空间坐标系</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="74"/>
        <source>The workspace CRS must be a CGCS2000 Gauss-Kruger zone (EPSG:4491–4554), not {crs}; for this area use EPSG:{suggested}.</source>
        <translation>工作空间坐标系必须是 CGCS2000 高斯-克吕格分带（EPSG:4491–4554），而不是 {crs}；该区域请使用 EPSG:{suggested}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="87"/>
        <source>Chinese field aliases could not be stored: {problem}</source>
        <translation>无法保存字段中文别名：{problem}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="46"/>
        <source>Rule set</source>
        <translation>规则集</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/create_workspace.py" line="88"/>
        <source>Workspace {path} created in EPSG:{epsg} with rule set {ruleset}.</source>
        <translation>已在 EPSG:{epsg} 下新建工作空间 {path}，规则集 {ruleset}。</translation>
    </message>
</context>
<context>
    <name>DecisionForm</name>
    <message>
        <location filename="../ui/forms/__init__.py" line="37"/>
        <source>WPZF</source>
        <translation>卫片执法</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="83"/>
        <source>Legality decision</source>
        <translation>合法性判定</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="122"/>
        <source>Pick from the overlay results or type</source>
        <translation>从叠加分析结果中选择或直接输入</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="146"/>
        <source>Decision</source>
        <translation>判定类型</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="166"/>
        <source>mu</source>
        <translation>亩</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="170"/>
        <source>Pre-judgement suggestion</source>
        <translation>预判建议</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="177"/>
        <source>Accept suggestion</source>
        <translation>采纳建议</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="241"/>
        <source>Evidence</source>
        <translation>佐证资料</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="311"/>
        <source>mu (patch: {area:.2f} mu)</source>
        <translation>亩（图斑 {area:.2f} 亩）</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="312"/>
        <source>(you, when saved)</source>
        <translation>（保存时自动填写为当前用户）</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="313"/>
        <source>(now, when saved)</source>
        <translation>（保存时自动填写当前时间）</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="344"/>
        <source>No suggestion stored: run the pre-judgement first.</source>
        <translation>没有预判建议：请先运行合法性预判。</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="402"/>
        <source>The suggestion is not a complete decision: choose the fields marked above.</source>
        <translation>该建议不是完整的判定：请填写上面标出的字段。</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="413"/>
        <source>Field visit…</source>
        <translation>外业踏勘…</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="413"/>
        <source>Referral…</source>
        <translation>移交…</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="413"/>
        <source>Case…</source>
        <translation>立案…</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="413"/>
        <source>Rectification…</source>
        <translation>整改…</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="105"/>
        <source>yyyy-mm-dd, yyyy-mm or yyyy</source>
        <translation>yyyy-mm-dd、yyyy-mm 或 yyyy</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="293"/>
        <source>Derived as {period} from the construction date {built} and the before-image date {image}</source>
        <translation>按建设时间 {built} 与前时相 {image} 推定为{period}</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="161"/>
        <source>Review (审核)</source>
        <translation>审核</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="196"/>
        <source>Imagery change: not screened (run the imagery pre-screening).</source>
        <translation>影像变化：未预筛（请先运行影像变化预筛）。</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="201"/>
        <source>Imagery change: score {score} · changed {changed} of {pixels} pixels · brightness change {brightness} (90th percentile {p90}) · {index} change {vi} · bare or built-up after {bare}</source>
        <translation>影像变化：得分 {score} · {pixels} 个像元中变化 {changed} · 亮度变化 {brightness}（90 分位 {p90}）· {index} 变化 {vi} · 后时相裸土/建设 {bare}</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="203"/>
        <source>vegetation index</source>
        <translation>植被指数</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="209"/>
        <source>flag: {flag}</source>
        <translation>标志：{flag}</translation>
    </message>
    <message>
        <location filename="../ui/forms/decision.py" line="210"/>
        <source>images {before} → {after}, computed {at}</source>
        <translation>影像 {before} → {after}，计算于 {at}</translation>
    </message>
</context>
<context>
    <name>EvidencePanel</name>
    <message>
        <location filename="../ui/evidence_panel.py" line="124"/>
        <source>Kind of the files to add (资料类型)</source>
        <translation>要添加文件的资料类型</translation>
    </message>
    <message>
        <location filename="../ui/evidence_panel.py" line="126"/>
        <source>Document number (optional)</source>
        <translation>文号（可选）</translation>
    </message>
    <message>
        <location filename="../ui/evidence_panel.py" line="127"/>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../ui/evidence_panel.py" line="129"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../ui/evidence_panel.py" line="131"/>
        <source>Show folder</source>
        <translation>打开所在文件夹</translation>
    </message>
    <message>
        <location filename="../ui/evidence_panel.py" line="196"/>
        <source>Kind: {kind}</source>
        <translation>资料类型：{kind}</translation>
    </message>
    <message>
        <location filename="../ui/evidence_panel.py" line="198"/>
        <source>Document number: {number}</source>
        <translation>文号：{number}</translation>
    </message>
    <message>
        <location filename="../ui/evidence_panel.py" line="200"/>
        <source>Taken: {time}</source>
        <translation>拍摄时间：{time}</translation>
    </message>
    <message>
        <location filename="../ui/evidence_panel.py" line="202"/>
        <source>Bearing: {bearing:.0f}°</source>
        <translation>方位角：{bearing:.0f}°</translation>
    </message>
    <message>
        <location filename="../ui/evidence_panel.py" line="205"/>
        <source>Recorded by {who} at {when}</source>
        <translation>记录人 {who}，记录时间 {when}</translation>
    </message>
    <message>
        <location filename="../ui/evidence_panel.py" line="316"/>
        <source>Add evidence files</source>
        <translation>添加佐证资料</translation>
    </message>
    <message>
        <location filename="../ui/evidence_panel.py" line="258"/>
        <source>Photos and documents (*.jpg *.jpeg *.png *.tif *.tiff *.pdf *.doc *.docx *.ofd);;All files (*)</source>
        <translation>照片和文档 (*.jpg *.jpeg *.png *.tif *.tiff *.pdf *.doc *.docx *.ofd);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/evidence_panel.py" line="267"/>
        <source>{count} file(s) were already recorded for this patch.</source>
        <translation>{count} 个文件已是该图斑的佐证资料。</translation>
    </message>
</context>
<context>
    <name>ExportDossierAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="110"/>
        <source>Export case dossiers</source>
        <translation>导出卷宗</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="113"/>
        <source>Exports one PDF dossier (卷宗) per patch, named &lt;JCBH&gt;_卷宗.pdf: cover (title, JCBH, town and village, decision, dates, filed by), contents list (卷内目录) with the page numbers of every document, the legality decision with the review chain's signatures, the patch map, the approvals cited (document numbers, coverage shares), the field visits with their photos (two per page: time, position, distance to the patch, SHA-256 checked against the file), referrals and case stages, rectification before and after, and the notes page (备考表). A missing item is listed on the contents list, never left out. Each export is recorded in the workspace (wpzf_dossier), and 卷宗目录.xlsx lists every patch's latest dossier. Patches: the workspace's, narrowed by BATCH and EXPRESSION (split patches: their 地块).</source>
        <translation>为每个图斑导出一份 PDF 卷宗，文件名为 &lt;JCBH&gt;_卷宗.pdf：封面（标题、监测编号、镇街和村、判定类型、日期、立卷人）、卷内目录（每份材料的页码）、合法性判定表及审查链签署、图斑核查图、引用的审批资料（批准文号、覆盖比例）、外业踏勘及照片（每页两张：时间、位置、到图斑的距离、与文件核对的 SHA-256）、移交和案件阶段记录、整改前后情况、备考表。缺少的材料在卷内目录中列出，绝不省略。每次导出记入工作空间（wpzf_dossier），卷宗目录.xlsx 列出每个图斑最新的卷宗。图斑：工作空间的图斑，可按 BATCH 和 EXPRESSION 筛选（已拆分的图斑按地块立卷）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="125"/>
        <source>Batch (empty: all)</source>
        <translation>批次（留空：全部）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="126"/>
        <source>Filter expression</source>
        <translation>筛选表达式</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="128"/>
        <source>Dossier folder</source>
        <translation>卷宗文件夹</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="129"/>
        <source>Dossiers exported</source>
        <translation>已导出卷宗数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="130"/>
        <source>Pages printed</source>
        <translation>已打印页数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="131"/>
        <source>Missing items listed</source>
        <translation>列出的缺项数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="132"/>
        <source>Patches that failed, with the reason</source>
        <translation>失败的图斑及原因</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="133"/>
        <source>Index workbook</source>
        <translation>卷宗目录工作簿</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="140"/>
        <source>Cannot open the patch layer of {path}.</source>
        <translation>无法打开 {path} 的图斑图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="146"/>
        <source>The workspace has no batch {batch}.</source>
        <translation>工作空间中没有批次 {batch}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="151"/>
        <source>EXPRESSION cannot be read: {error}</source>
        <translation>无法解析 EXPRESSION：{error}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="244"/>
        <source>{n} dossiers to export.</source>
        <translation>待导出卷宗 {n} 份。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="246"/>
        <source>{n} chosen patches are split into 地块: the 地块 are filed instead.</source>
        <translation>所选图斑中有 {n} 个已拆分为地块：改为按地块立卷。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="260"/>
        <source>Dossier of {jcbh} not exported: {error}</source>
        <translation>{jcbh} 的卷宗未导出：{error}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_dossier.py" line="267"/>
        <source>{exported} dossiers exported ({pages} pages), {failed} failed.</source>
        <translation>已导出卷宗 {exported} 份（共 {pages} 页），失败 {failed} 份。</translation>
    </message>
</context>
<context>
    <name>ExportFieldPackageAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="57"/>
        <source>Export field package (QField)</source>
        <translation>导出外业包（QField）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="60"/>
        <source>Writes a folder that QField opens as it is: wpzf_field.qgs with the chosen patches (jctb, office fields read-only) and a visit layer (wydc: time, surveyor, result from the rule set, notes, up to four photos under DCIM/), data.gpkg, navigation.kml and navigation.gpx with each patch&apos;s outline and centre, optional imagery and overlays clipped around the patches, and manifest.json (workspace identity, each patch&apos;s version at export, SHA-256 of every file). Patches: those of BATCH, narrowed by EXPRESSION on the workspace&apos;s patch layer or to the features of PATCHES (by JCBH). Bring the folder back with Import field package.</source>
        <translation>写出一个 QField 可直接打开的文件夹：wpzf_field.qgs，含所选图斑（jctb，内业字段只读）和外业调查记录图层（wydc：时间、调查人、按规则集填写的调查结果、现场情况、最多四张照片，存于 DCIM/）；data.gpkg；navigation.kml 和 navigation.gpx（每个图斑的轮廓和中心点）；可选的按图斑裁切的影像和叠加图层；manifest.json（工作空间标识、导出时每个图斑的版本、每个文件的 SHA-256）。图斑：BATCH 的图斑，可再按工作空间图斑图层上的 EXPRESSION 或 PATCHES 中的要素（按 JCBH）筛选。外业结束后用“导入外业成果”导回。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="71"/>
        <source>Batch (empty: all)</source>
        <translation>批次（留空：全部）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="73"/>
        <source>Only patches matching this expression</source>
        <translation>仅符合此表达式的图斑</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="75"/>
        <source>Only these patches (by JCBH; e.g. the selected features)</source>
        <translation>仅这些图斑（按 JCBH，例如选中的要素）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="78"/>
        <source>Imagery to clip into the package</source>
        <translation>裁切进外业包的影像</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="80"/>
        <source>Overlay layers to clip into the package</source>
        <translation>裁切进外业包的叠加图层</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="83"/>
        <source>Margin around the patches (m)</source>
        <translation>图斑周围的裁切范围（米）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="86"/>
        <source>Package folder</source>
        <translation>外业包文件夹</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="87"/>
        <source>Patches in the package</source>
        <translation>外业包中的图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="88"/>
        <source>Package id</source>
        <translation>外业包标识</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="94"/>
        <source>The workspace has no batch {batch}.</source>
        <translation>工作空间中没有批次 {batch}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="100"/>
        <source>EXPRESSION: {error}</source>
        <translation>EXPRESSION：{error}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="109"/>
        <source>PATCHES has no field {field}.</source>
        <translation>PATCHES 没有字段 {field}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="122"/>
        <source>No patch matches BATCH, EXPRESSION and PATCHES: nothing to export.</source>
        <translation>没有符合 BATCH、EXPRESSION 和 PATCHES 的图斑，未导出任何内容。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="126"/>
        <source>Patches {numbers} were chosen from more than one batch; a package needs unique JCBH: choose one BATCH.</source>
        <translation>图斑 {numbers} 选自多个批次；外业包要求 JCBH 唯一：请选择一个 BATCH。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="135"/>
        <source>{folder} exists and is not empty; a field package is never written over other files.</source>
        <translation>{folder} 已存在且不为空；外业包不会覆盖其他文件。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="150"/>
        <source>{count} patches to export.</source>
        <translation>待导出 {count} 个图斑。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_field_package.py" line="171"/>
        <source>Canceled; no package was written.</source>
        <translation>已取消，未写出外业包。</translation>
    </message>
</context>
<context>
    <name>ExportReportAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/export_report.py" line="46"/>
        <source>Export report workbook (Excel)</source>
        <translation>导出报表（Excel）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_report.py" line="64"/>
        <source>Workbook</source>
        <translation>工作簿</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_report.py" line="64"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_report.py" line="97"/>
        <source>{patches} patches and {towns} towns written to {path}.</source>
        <translation>已将 {patches} 个图斑、{towns} 个镇街写入 {path}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_report.py" line="74"/>
        <source>No workbook file was chosen: writing {path} beside the workspace.</source>
        <translation>未选择工作簿文件：写入工作空间旁的 {path}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/export_report.py" line="49"/>
        <source>Writes one .xlsx workbook: 图斑清单 (every ministry, decision, case and rectification field, with the evidence, field-visit, referral and 一下 columns filled), 镇街统计 (towns, a 合计 row and check columns 总 = 已整改 + 未整改 and 已整改 = 拆除 + 补办), 考核预警 (the penalty thresholds explained), 约谈排名, 月度汇总 with a chart, 季度统计 (each quarter of the year alone and cumulated, as at the quarter's end) and 批次进度 (both deadlines and the stage of each batch). Statistics are in 亩 under Chinese headers, written unrounded and shown to 2 decimals, as at the 统计截止日期 stated on each sheet; dates are Excel dates that sort and filter; user text is always text, never a formula. Explanations are in the rule set's language (Chinese) whatever the QGIS language. Every sheet prints landscape (A3 when it is wide) with its header rows repeated, one page wide; 图斑清单 prints as many pages across as keep its text at 60 % or more, 批次 to 监测编号 repeated on each page. The bar follows the writing; Cancel leaves any workbook already there untouched.</source>
        <translation>生成一个 .xlsx 工作簿：图斑清单（部下发、判定、立案和整改的全部字段，并填写佐证资料、外业踏勘、移交和一下问题列）、镇街统计（各镇街、合计行和校验列：总 = 已整改 + 未整改，已整改 = 拆除 + 补办）、考核预警（逐条说明考核线）、约谈排名、月度汇总（含图表）、季度统计（各季度单季和累计，截至季度末）和批次进度（两个期限和各批次阶段）。统计以亩为单位、中文表头，写入未取整的数值、显示 2 位小数，截至各表注明的统计截止日期；日期为可排序、筛选的 Excel 日期；用户填写的文字始终作为文本写入，不会成为公式。说明文字使用规则集的语言（中文），与 QGIS 界面语言无关。每张表横向打印（较宽的表用 A3），重复表头行，一页宽；图斑清单按保持文字不小于 60% 所需的页数横向分页打印，每页重复“批次”至“监测编号”列。进度条随写入前进；取消后原有工作簿不变。</translation>
    </message>
</context>
<context>
    <name>FarmlandOccupationAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="51"/>
        <source>Farmland occupation of patches</source>
        <translation>图斑占用耕地分析</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="72"/>
        <source>Land use (三调 DLTB)</source>
        <translation>土地利用现状（三调地类图斑 DLTB）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="128"/>
        <source>Land class code field</source>
        <translation>地类编码字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="131"/>
        <source>Farmland class codes</source>
        <translation>耕地地类编码</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="134"/>
        <source>Deduction coefficient field (empty: no deduction)</source>
        <translation>扣除系数字段（留空：不扣除）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="75"/>
        <source>Permanent basic farmland</source>
        <translation>永久基本农田</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="78"/>
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
        <location filename="../processing/algorithms/farmland_occupation.py" line="107"/>
        <source>PATCHES and LANDUSE must be polygon layers.</source>
        <translation>PATCHES 与 LANDUSE 必须是面图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="113"/>
        <source>Working CRS {crs}, area method {method}</source>
        <translation>计算坐标系 {crs}，面积方法 {method}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="145"/>
        <source>{patches} patches, {landuse} land-use polygons</source>
        <translation>{patches} 个图斑，{landuse} 个地类图斑</translation>
    </message>
    <message>
        <location filename="../processing/occupation_output.py" line="96"/>
        <source>not covered by land use</source>
        <translation>无三调地类覆盖</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="80"/>
        <source>Engine</source>
        <translation>计算引擎</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="80"/>
        <source>Python (any layers)</source>
        <translation>Python（任意图层）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="80"/>
        <source>SQL in the database (PostGIS layers of one database)</source>
        <translation>数据库内 SQL（同一数据库中的 PostGIS 图层）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="85"/>
        <source>SQL: PATCHES, LANDUSE and BASIC_FARMLAND must be PostGIS tables of one database (subset strings are honoured, selected features are not); the overlay runs there and only the figures come back.</source>
        <translation>SQL：图斑（PATCHES）、三调地类图斑（LANDUSE）和永久基本农田（BASIC_FARMLAND）必须是同一数据库中的 PostGIS 表（图层过滤条件会生效，“仅选中要素”不支持）；叠加分析在数据库中进行，只返回统计结果。</translation>
    </message>
    <message>
        <location filename="../processing/occupation_output.py" line="257"/>
        <source>Could not finish writing the output GeoPackage: {error}</source>
        <translation>未能完成输出 GeoPackage 的写入：{error}</translation>
    </message>
    <message>
        <location filename="../processing/occupation_sql_engine.py" line="67"/>
        <source>SQL engine in database {database}</source>
        <translation>SQL 引擎，数据库 {database}</translation>
    </message>
    <message>
        <location filename="../processing/occupation_sql_engine.py" line="72"/>
        <source>Cannot connect to database {database}: {reason}</source>
        <translation>无法连接数据库 {database}：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/occupation_sql_engine.py" line="82"/>
        <source>Table {table} has no spatial index on its geometry column; the SQL engine will be slow. Create one: CREATE INDEX ON {table} USING gist ({column})</source>
        <translation>表 {table} 的几何字段没有空间索引，SQL 引擎会很慢。请创建：CREATE INDEX ON {table} USING gist ({column})</translation>
    </message>
    <message>
        <location filename="../processing/occupation_sql_engine.py" line="102"/>
        <source>The working CRS {crs} has no PostGIS SRID; use the Python engine.</source>
        <translation>计算坐标系 {crs} 没有对应的 PostGIS SRID；请使用 Python 引擎。</translation>
    </message>
    <message>
        <location filename="../processing/occupation_sql_engine.py" line="119"/>
        <source>Layer {layer} has no field {field} (its primary key).</source>
        <translation>图层 {layer} 没有字段 {field}（其主键）。</translation>
    </message>
    <message>
        <location filename="../processing/occupation_sql_engine.py" line="123"/>
        <source>{patches} patches measured in the database</source>
        <translation>已在数据库中计算 {patches} 个图斑</translation>
    </message>
    <message>
        <location filename="../processing/occupation_sql_engine.py" line="155"/>
        <source>The patch layer and its table in the database disagree ({features} features, {rows} measured patches); was the layer changed while it was read?</source>
        <translation>图斑图层与数据库中的表不一致（{features} 个要素，{rows} 个已计算图斑）；读取期间图层是否被修改？</translation>
    </message>
    <message>
        <location filename="../processing/occupation_output.py" line="197"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location filename="../processing/occupation_output.py" line="198"/>
        <source>{patches} patches hold {area:.2f} m² of land classes ({codes}) outside the three broad classes (agricultural, construction, unused land): that area is in none of GDMJ, FGNYDMJ, JSYDMJ, WLYDMJ; BREAKDOWN lists it.</source>
        <translation>{patches} 个图斑含有不属于三大类（农用地、建设用地、未利用地）的地类（{codes}）共 {area:.2f} 平方米：该面积不计入 GDMJ、FGNYDMJ、JSYDMJ、WLYDMJ 中任何一项，BREAKDOWN 中逐条列出。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="94"/>
        <source>Invalid land-use and basic-farmland polygons repaired</source>
        <translation>修复的无效三调和永久基本农田多边形数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="96"/>
        <source>Land-use and basic-farmland features with no area (listed in the log)</source>
        <translation>没有面积的三调和永久基本农田要素数（见日志）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="98"/>
        <source>Land-use features without a class code</source>
        <translation>没有地类编码的三调图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="100"/>
        <source>Patch area in land use without a class code (m²)</source>
        <translation>图斑中落在无地类编码三调图斑上的面积（平方米）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/farmland_occupation.py" line="54"/>
        <source>For every patch: its area, the farmland it covers (gross and net of the deduction coefficient KCXS, by paddy, irrigated and dry land), the permanent basic farmland it covers (gross, and the net farmland inside it), the share of farmland, and the patch split into farmland, other agricultural land (with the deducted field ridges), construction land and unused land. Exactly one output row per input patch, in input order; invalid geometry is repaired and flagged, never dropped (the log counts repaired overlay polygons per layer and names features with no area left, land use without a class code with its area, and an empty layer); overlapping land-use polygons are never counted twice. Ellipsoidal areas use the official CGCS2000 formula in a Gauss-Kruger zone. WFGMJ is the area of the patch no land-use polygon covers: only where the land use leaves a gap (decided on planar areas), never the rounding of the official formula. BREAKDOWN lists every land class in each patch with its broad class. Engine (advanced): when all layers are PostGIS tables of one database, the SQL engine runs the overlay in the database with the same definitions and numbers.</source>
        <translation>逐图斑计算：图斑面积；占用耕地（毛面积和按扣除系数 KCXS 扣除后的净面积，分水田、水浇地、旱地）；占用永久基本农田（毛面积，以及其中的净耕地面积）；占耕比例；以及图斑按耕地、非耕农用地（含扣除的田坎）、建设用地和未利用地的拆分。每个输入图斑恰好输出一行，顺序不变；无效几何修复并标记，不会丢弃（日志按图层统计修复的叠加图层多边形，列出修复后没有面积的要素、没有地类编码的三调图斑及其面积，以及空图层）；相互重叠的地类图斑不会重复计算。椭球面积在高斯-克吕格分带中按 CGCS2000 官方公式计算。WFGMJ 是图斑中没有任何三调图斑覆盖的面积：仅在三调图层留有空隙时才有（按平面面积判定），官方公式的舍入误差不计为未覆盖。BREAKDOWN 列出每个图斑的各地类及其三大类。引擎（高级）：全部图层是同一数据库的 PostGIS 表时，SQL 引擎在数据库中完成叠加，口径和数值相同。</translation>
    </message>
</context>
<context>
    <name>FieldVisitForm</name>
    <message>
        <location filename="../ui/forms/progress.py" line="101"/>
        <source>Field visit</source>
        <translation>外业踏勘</translation>
    </message>
    <message>
        <location filename="../ui/forms/progress.py" line="112"/>
        <source>Names of the staff, separated by 、</source>
        <translation>踏勘人员姓名，用“、”分隔</translation>
    </message>
    <message>
        <location filename="../ui/forms/progress.py" line="105"/>
        <source>Batch {batch} is locked (stage {stage}, locked {at} by {who}): the field visit is appended as a new record and does not change the locked reported data.</source>
        <translation>批次 {batch} 已锁定（阶段 {stage}，{who} 于 {at} 锁定）：外业踏勘作为新记录追加，不改变锁定的上报数据。</translation>
    </message>
</context>
<context>
    <name>ImageryChangeAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="64"/>
        <source>Imagery change pre-screening</source>
        <translation>影像变化预筛</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="67"/>
        <source>Measures the change inside every patch between the before and after images (any CRS, any pixel size): both are resampled to one grid over the patch, in the patch CRS, and only the pixels inside the patch with data in both images and no cloud are used. Per patch: pixels used, mean and 90th-percentile brightness change, vegetation index change (NDVI with NIR_BAND, else the visible excess-green index ExG), share of changed pixels, share of bare soil or built-up ground after, and a change score 0–1. A patch the images do not cover, or that is mostly cloud or no-data, gets no score and a flag saying why. Thresholds come from the rule set's [imagery] section. Patches come from a WORKSPACE batch (the results are stored in the workspace, replacing the patch's earlier ones, and used by the legality pre-judgement) or from a PATCHES layer (results only in OUTPUT). RED_BAND 1 means RGB(N) band order, 3 means BGR(N).</source>
        <translation>测量每个图斑内前、后时相影像之间的变化（任意坐标系、任意分辨率）：两期影像在图斑坐标系中重采样到同一网格，只使用图斑内两期都有数据且没有云的像元。每个图斑给出：有效像元数、亮度变化均值和 90 分位数、植被指数变化（有 NIR_BAND 时用 NDVI，否则用可见光过绿指数 ExG）、变化像元占比、后时相裸土或建设用地占比，以及 0–1 的变化得分。影像未覆盖或大部分为云、无数据的图斑不给得分，并标注原因。阈值取自规则集的 [imagery] 节。图斑来自工作空间的批次（结果保存在工作空间中，替换该图斑以前的结果，并用于合法性预判），或来自 PATCHES 图层（结果只在 OUTPUT 中）。RED_BAND 为 1 表示波段顺序为 RGB(N)，为 3 表示 BGR(N)。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="81"/>
        <source>Batch (empty: all)</source>
        <translation>批次（留空：全部）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="82"/>
        <source>Rule set (empty: the workspace&apos;s)</source>
        <translation>规则集（留空：工作空间的规则集）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="84"/>
        <source>Patches (empty: the workspace&apos;s)</source>
        <translation>图斑（留空：工作空间的图斑）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="88"/>
        <source>Before image (前时相)</source>
        <translation>前时相影像</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="89"/>
        <source>After image (后时相)</source>
        <translation>后时相影像</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="90"/>
        <source>Red band (1: RGB order, 3: BGR order)</source>
        <translation>红波段（1：RGB 顺序，3：BGR 顺序）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="93"/>
        <source>Near-infrared band (empty: visible bands only)</source>
        <translation>近红外波段（留空：只用可见光波段）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="96"/>
        <source>Imagery change</source>
        <translation>影像变化</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="98"/>
        <source>Patches with a change score</source>
        <translation>有变化得分的图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="99"/>
        <source>Patches stored in the workspace</source>
        <translation>保存到工作空间的图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="128"/>
        <source>{param}: {layer} is not a file image (GDAL); save it as GeoTIFF first.</source>
        <translation>{param}：{layer} 不是文件影像（GDAL），请先另存为 GeoTIFF。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="155"/>
        <source>Measuring {n} patches on a grid of {cell:.2f} m or finer.</source>
        <translation>正在按 {cell:.2f} 米或更细的网格测量 {n} 个图斑。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="159"/>
        <source>Canceled: nothing was stored.</source>
        <translation>已取消：未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="169"/>
        <source>Give a WORKSPACE or a PATCHES layer.</source>
        <translation>请给出 WORKSPACE 或 PATCHES 图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="172"/>
        <source>PATCHES has no field {field} (ID_FIELD).</source>
        <translation>PATCHES 没有字段 {field}（ID_FIELD）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="177"/>
        <source>PATCHES must be in a projected CRS (metres); reproject it first (its CRS: {crs}).</source>
        <translation>PATCHES 必须是投影坐标系（米），请先重投影（当前坐标系：{crs}）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/imagery_change.py" line="196"/>
        <source>{scored} of {n} patches scored; {uncovered} not covered by both images, {cloudy} mostly cloud or no-data (no score, flagged).</source>
        <translation>{n} 个图斑中 {scored} 个有得分；{uncovered} 个未被两期影像覆盖，{cloudy} 个大部分为云或无数据（不给得分，已标注）。</translation>
    </message>
</context>
<context>
    <name>ImportDivisionsAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="31"/>
        <source>Import town and village boundaries</source>
        <translation>导入镇街村界</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="34"/>
        <source>Stores the district's towns (三调 XZQ: XZQDM, XZQMC) and, optionally, villages (CJDCQ: ZLDWDM, ZLDWMC) in the workspace, replacing an earlier import as a whole, and gives every patch — of every batch, locked ones too — the town and the village holding the largest part of it (deliveries carry the county code in XZQDM). A patch whose XZQDM is itself one of the town codes keeps that town. Boundaries are reprojected to the workspace CRS and invalid ones repaired (counted in the log); an empty code is refused naming the feature. Patches outside every town are listed. Town statistics, the Excel report, the patch list and the patch maps then use these towns and their names; patches imported later are placed on import.</source>
        <translation>把全区的镇街（三调 XZQ：XZQDM、XZQMC）和可选的村（CJDCQ：ZLDWDM、ZLDWMC）整体保存到工作空间（替换此前导入的全部界线），并为每个图斑（所有批次，包括已锁定的）确定其面积最大部分所在的镇街和村（下发数据的 XZQDM 是区县代码）。XZQDM 本身就是某个镇街代码的图斑保留该镇街。界线投影转换到工作空间坐标系，无效几何予以修复（在日志中计数）；代码为空的要素被拒绝并指出要素。不在任何镇街内的图斑逐一列出。此后镇街统计、Excel 报表、图斑列表和核查图都使用这些镇街及其名称；以后导入的图斑在导入时自动归属。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="45"/>
        <source>town,village,boundary,XZQ,CJDCQ,镇街,村,行政区,乡镇,归属</source>
        <translation>镇街,村,界线,XZQ,CJDCQ,行政区,乡镇,归属,town,village</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="52"/>
        <source>Town boundaries (三调 XZQ)</source>
        <translation>镇街界线（三调 XZQ）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="54"/>
        <source>Town code field</source>
        <translation>镇街代码字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="56"/>
        <source>Town name field</source>
        <translation>镇街名称字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="58"/>
        <source>Village boundaries (CJDCQ, optional)</source>
        <translation>村界（CJDCQ，可选）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="61"/>
        <source>Village code field</source>
        <translation>村代码字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="63"/>
        <source>Village name field</source>
        <translation>村名称字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="65"/>
        <source>Towns stored</source>
        <translation>保存的镇街数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="66"/>
        <source>Villages stored</source>
        <translation>保存的村数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="67"/>
        <source>Patches placed in a town</source>
        <translation>已归属镇街的图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="68"/>
        <source>Patches outside every town</source>
        <translation>不在任何镇街内的图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="69"/>
        <source>Boundaries repaired</source>
        <translation>修复的界线数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="70"/>
        <source>JCBH of patches outside every town</source>
        <translation>不在任何镇街内的图斑监测编号</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="89"/>
        <source>towns (TOWNS)</source>
        <translation>镇街（TOWNS）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="91"/>
        <source>villages (VILLAGES)</source>
        <translation>村（VILLAGES）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="96"/>
        <source>Repaired {count} invalid boundaries (feature ids: towns {towns}; villages {villages}).</source>
        <translation>修复了 {count} 条无效界线（要素编号：镇街 {towns}；村 {villages}）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="100"/>
        <source>Reprojected to the workspace CRS EPSG:{epsg}.</source>
        <translation>已投影转换到工作空间坐标系 EPSG:{epsg}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="105"/>
        <source>Stored {towns} towns and {villages} villages; {assigned} patches placed ({by_code} by their own town code in XZQDM, the others by the largest share).</source>
        <translation>保存 {towns} 个镇街、{villages} 个村；{assigned} 个图斑已归属（{by_code} 个按 XZQDM 中的镇街代码，其余按面积最大部分）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_divisions.py" line="111"/>
        <source>{count} patches lie outside every town and have no town: {ids}</source>
        <translation>{count} 个图斑不在任何镇街内，没有所属镇街：{ids}</translation>
    </message>
</context>
<context>
    <name>ImportFeedbackAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/import_feedback.py" line="35"/>
        <source>Import the city's problem list (一下)</source>
        <translation>导入一下问题图斑</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_feedback.py" line="50"/>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_feedback.py" line="51"/>
        <source>Problem list (.xlsx or .csv)</source>
        <translation>问题清单（.xlsx 或 .csv）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_feedback.py" line="51"/>
        <source>Tables (*.xlsx *.xlsm *.csv *.txt)</source>
        <translation>表格 (*.xlsx *.xlsm *.csv *.txt)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_feedback.py" line="54"/>
        <source>Problem list as read</source>
        <translation>读取的问题清单</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_feedback.py" line="56"/>
        <source>Patches marked</source>
        <translation>已标记图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_feedback.py" line="57"/>
        <source>IDs not in the batch</source>
        <translation>不在本批次的编号数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_feedback.py" line="58"/>
        <source>Feedback round</source>
        <translation>退回轮次</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_feedback.py" line="94"/>
        <source>Round {round}: {marked} patches marked for correction; batch {batch} is now at 一下 (was {previous}).</source>
        <translation>第 {round} 轮：已标记 {marked} 个待整改图斑；批次 {batch} 进入“一下”（原为 {previous}）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_feedback.py" line="98"/>
        <source>{count} IDs of the list are not in batch {batch}: {ids}</source>
        <translation>清单中有 {count} 个编号不在批次 {batch} 中：{ids}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_feedback.py" line="38"/>
        <source>Reads the problem patches the city returned (Excel .xlsx or CSV). The header row is found by its wording (监测编号/图斑编号/JCBH and 问题描述/存在问题/审核意见…), anywhere in the first 20 rows, with full- or half-width brackets; other columns are kept. Only the active sheet is read (the first visible one when the active sheet is hidden), never a hidden sheet. Formula cells saved without a calculated value and files beyond the size limits (20 MB on disk, 100 MB unpacked, 100 000 rows) are refused before anything is stored. Each listed patch gets the problem text in 审核意见 and its 退回次数 counted up, and the batch moves to 一下, all in one step. IDs that are not in the batch are listed in the output and kept in the workspace's list, never dropped.</source>
        <translation>读取市局退回的问题图斑清单（Excel .xlsx 或 CSV）。按措辞在前 20 行中查找表头（监测编号/图斑编号/JCBH 和 问题描述/存在问题/审核意见…），全角、半角括号均可；其他列予以保留。只读取当前活动工作表（活动工作表被隐藏时读取第一个可见工作表），从不读取隐藏工作表。保存时没有计算结果的公式单元格、超过大小限制的文件（磁盘上 20 MB、解压后 100 MB、10 万行）在保存任何内容之前即被拒绝。清单中的每个图斑写入审核意见、退回次数加一，批次进入“一下”，一次完成。不在本批次中的编号在输出中列出并保存在工作空间的清单里，不会丢弃。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_feedback.py" line="68"/>
        <source>{file}: the sheet {sheet} holds no patch IDs.</source>
        <translation>{file}：工作表 {sheet} 中没有图斑编号。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_feedback.py" line="75"/>
        <source>Read sheet {sheet} of {file}.</source>
        <translation>已读取 {file} 的工作表 {sheet}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_feedback.py" line="77"/>
        <source>Hidden sheets not read: {sheets}.</source>
        <translation>未读取的隐藏工作表：{sheets}。</translation>
    </message>
</context>
<context>
    <name>ImportFieldPackageAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="45"/>
        <source>Import field package (QField)</source>
        <translation>导入外业成果（QField）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="63"/>
        <source>Returned package (folder or .zip)</source>
        <translation>带回的外业包（文件夹或 .zip）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="72"/>
        <source>Import report</source>
        <translation>导入报告</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="73"/>
        <source>Visits stored</source>
        <translation>已保存的踏勘记录</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="74"/>
        <source>Photos stored</source>
        <translation>已保存的照片</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="76"/>
        <source>Package refused (1) or not (0)</source>
        <translation>外业包被拒绝（1）或未被拒绝（0）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="88"/>
        <source>package</source>
        <translation>外业包</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="88"/>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="88"/>
        <source>visit</source>
        <translation>踏勘记录</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="89"/>
        <source>photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="89"/>
        <source>field edit</source>
        <translation>外业修改</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="90"/>
        <source>office change</source>
        <translation>内业修改</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="91"/>
        <source>stored</source>
        <translation>已保存</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="91"/>
        <source>already imported</source>
        <translation>已导入过</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="92"/>
        <source>damaged</source>
        <translation>已损坏</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="92"/>
        <source>invalid</source>
        <translation>无效</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="93"/>
        <source>not referenced</source>
        <translation>未被引用</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="93"/>
        <source>not applied</source>
        <translation>未应用</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="94"/>
        <source>reported</source>
        <translation>已报告</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="94"/>
        <source>refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="95"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="95"/>
        <source>not stored</source>
        <translation>未保存</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="126"/>
        <source>The package was refused; nothing was imported.</source>
        <translation>外业包被拒绝，未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="127"/>
        <source>{visits} visits and {photos} photos stored.</source>
        <translation>已保存 {visits} 条踏勘记录和 {photos} 张照片。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="48"/>
        <source>Reads a field package as it comes back from QField or QFieldCloud (the folder or a .zip) and stores each new visit record (wydc) as a field visit of its patch, with its photos as evidence (SHA-256, EXIF time and position, distance to the patch), also on a locked batch. A visit is stored with all its photos or not at all. Importing the same package again adds nothing; a package of another workspace is refused. Edits of office fields made in the field are reported, never applied; patches changed in the office since the export, photos no record names, missing photos and damaged files are reported, one row per patch and item. With &apos;Store photos no record names&apos; such photos are stored as evidence of the package&apos;s patch they were taken in, or the nearest one within the maximum distance (as Import field photos matches them). On a shared PostGIS workspace the photos are stored in the database, and a technician&apos;s visits to patches of towns not assigned to him are refused, patch by patch.</source>
        <translation>读取从 QField 或 QFieldCloud 带回的外业包（文件夹或 .zip），把每条新的外业调查记录（wydc）保存为所属图斑的外业踏勘记录，照片作为佐证资料保存（SHA-256、EXIF 拍摄时间和位置、到图斑的距离），已锁定的批次同样可以追加。一条记录连同其全部照片一起保存，或全部不保存。同一外业包再次导入不会重复添加；其他工作空间的外业包被拒绝。外业中对内业字段的修改只报告、从不应用；导出后在内业修改过的图斑、没有记录引用的照片、缺失的照片和损坏的文件逐一报告，每个图斑和事项一行。勾选“保存没有记录引用的照片”时，这些照片按拍摄位置保存为外业包中所在图斑（或最大距离内最近图斑）的佐证资料（与“导入外业照片”的匹配方式相同）。在共享 PostGIS 工作空间中照片保存到数据库，技术人员对非本人负责镇街图斑的踏勘记录逐个被拒绝。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="66"/>
        <source>Store photos no record names as evidence of their patch</source>
        <translation>保存没有记录引用的照片，作为所在图斑的佐证资料</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="69"/>
        <source>Maximum distance of such a photo to the nearest patch (m)</source>
        <translation>此类照片到最近图斑的最大距离（米）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_field_package.py" line="75"/>
        <source>Photos no record names stored</source>
        <translation>已保存的无记录引用照片</translation>
    </message>
</context>
<context>
    <name>ImportPatchesAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="56"/>
        <source>Import delivered patches</source>
        <translation>导入下发图斑</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="98"/>
        <source>Workspace</source>
        <translation>工作空间</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="72"/>
        <source>Delivered patches (Shapefile, GeoPackage, FileGDB, GeoJSON)</source>
        <translation>下发图斑（Shapefile、GeoPackage、FileGDB、GeoJSON）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="75"/>
        <source>Workspace (.gpkg, created if missing)</source>
        <translation>工作空间（.gpkg，不存在时自动创建）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="78"/>
        <source>Batch name, e.g. 2022-05</source>
        <translation>批次名称，如 2022-05</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="79"/>
        <source>Date received (yyyy-mm-dd); the decision is due 20 days later</source>
        <translation>接收日期（yyyy-mm-dd）；合法性判定期限为其后 20 日</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="83"/>
        <source>Shapefile text encoding (auto = detect)</source>
        <translation>Shapefile 属性编码（auto = 自动识别）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="85"/>
        <source>CRS of the delivery when the file declares none</source>
        <translation>数据未声明坐标系时使用的坐标系</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="87"/>
        <source>CRS of a new workspace (default: detected 3° zone)</source>
        <translation>新建工作空间的坐标系（默认：自动识别的 3° 分带）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="89"/>
        <source>Import report</source>
        <translation>导入报告</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="91"/>
        <source>Patches imported</source>
        <translation>导入图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="91"/>
        <source>Patches repaired</source>
        <translation>修复图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="91"/>
        <source>Patches rejected</source>
        <translation>拒绝图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="91"/>
        <source>Duplicate patches</source>
        <translation>重复图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="91"/>
        <source>Re-issued patches</source>
        <translation>重复下发图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="97"/>
        <source>Already imported, nothing changed</source>
        <translation>已导入过，未作改动</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="106"/>
        <source>The delivery {name} is a {type} layer; patches must be polygons.</source>
        <translation>下发数据 {name} 是{type}图层；图斑必须是面。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="111"/>
        <source>Give the workspace file (.gpkg).</source>
        <translation>请指定工作空间文件（.gpkg）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="114"/>
        <source>The received date RECEIVED is missing or not yyyy-mm-dd.</source>
        <translation>接收日期 RECEIVED 缺失或不是 yyyy-mm-dd 格式。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="232"/>
        <source>The delivery {name} declares no CRS; give it in SOURCE_CRS (e.g. EPSG:4490).</source>
        <translation>下发数据 {name} 未声明坐标系；请在 SOURCE_CRS 中指定（如 EPSG:4490）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="131"/>
        <source>Shapefile text encoding: {encoding}</source>
        <translation>Shapefile 属性编码：{encoding}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="134"/>
        <source>Source {name}, SHA-256 {sha}</source>
        <translation>来源文件 {name}，SHA-256 {sha}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="172"/>
        <source>This file was already imported into batch {batch}; nothing changed.</source>
        <translation>该文件已导入批次 {batch}，本次未作任何改动。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="258"/>
        <source>WORKSPACE_CRS must be a projected CGCS2000 Gauss-Kruger CRS, not {crs}.</source>
        <translation>WORKSPACE_CRS 必须是 CGCS2000 高斯-克吕格投影坐标系，而不是 {crs}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="268"/>
        <source>repaired</source>
        <translation>已修复</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="268"/>
        <source>rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="269"/>
        <source>duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="269"/>
        <source>re-issued</source>
        <translation>重复下发</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="269"/>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="182"/>
        <source>The patches were imported, but placing them in towns failed: {error}. Run wpzf:importdivisions again to place every patch.</source>
        <translation>图斑已导入，但归属镇街失败：{error}。请重新运行 wpzf:importdivisions 为全部图斑归属镇街。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="186"/>
        <source>{count} new patches placed in their towns and villages by the stored boundaries.</source>
        <translation>{count} 个新图斑已按保存的界线归属镇街和村。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="189"/>
        <source>{count} new patches lie outside every town: {ids}</source>
        <translation>{count} 个新图斑不在任何镇街内：{ids}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="59"/>
        <source>Imports a monthly delivery of remote-sensing change patches into a batch of a WPZF workspace (a GeoPackage, created if missing). Reprojects to the workspace's CGCS2000 Gauss-Kruger zone (an existing workspace always keeps its own CRS; a file without CRS is read in it only if its coordinates fit that zone), warns for each patch more than 2° from the zone's central meridian and refuses the delivery when one lies 3° or more away. Detects GBK or UTF-8 text in shapefiles without a .cpg and refuses Big5 or other text with a hint to set ENCODING. Compares patch IDs after Unicode normalisation (full-width digits are the same ID), repairs invalid geometry and flags it, rejects null geometry, zero-area slivers and collections without polygons, and reports every problem patch. The import is all or nothing; importing the same file again changes nothing.</source>
        <translation>把每月下发的遥感监测变化图斑导入 WPZF 工作空间（GeoPackage，不存在时新建）的一个批次。投影转换到工作空间的 CGCS2000 高斯-克吕格分带（已有工作空间始终保持自身坐标系；没有坐标系的文件只有坐标落在该分带内时才按该分带读取），距分带中央经线超过 2° 的图斑逐一警告，有图斑距中央经线 3° 或以上时拒绝整批导入。识别没有 .cpg 的 shapefile 中的 GBK 或 UTF-8 文字，Big5 等其他编码予以拒绝并提示设置 ENCODING。图斑编号经 Unicode 规范化后比较（全角数字视为同一编号），修复并标记无效几何，拒绝空几何、面积为零的碎片和不含面的几何集合，并报告每个问题图斑。导入要么全部成功、要么什么都不改变；重复导入同一文件不会有任何改变。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="91"/>
        <source>Imported patches with warnings</source>
        <translation>有警告的导入图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="163"/>
        <source>Imported {imported}, repaired {repaired}, rejected {rejected}, duplicate {duplicate}, re-issued {reissued}, with warnings {warned}.</source>
        <translation>导入 {imported} 个，修复 {repaired} 个，拒绝 {rejected} 个，重复 {duplicate} 个，重复下发 {reissued} 个，有警告 {warned} 个。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="227"/>
        <source>The delivery {name} declares no CRS and its coordinates do not fit SOURCE_CRS {crs}: {reason}.</source>
        <translation>下发文件 {name} 没有声明坐标系，其坐标与 SOURCE_CRS {crs} 不符：{reason}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="237"/>
        <source>The delivery {name} declares no CRS (no .prj) and cannot be read in the workspace&apos;s CRS EPSG:{epsg}: {reason}. Nothing was imported; give the delivery&apos;s CRS in SOURCE_CRS.</source>
        <translation>下发文件 {name} 没有声明坐标系（没有 .prj），不能按工作空间坐标系 EPSG:{epsg} 读取：{reason}。未导入任何内容；请在 SOURCE_CRS 中填写下发数据的坐标系。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="241"/>
        <source>The delivery {name} declares no CRS; its coordinates lie in the workspace&apos;s zone, so they are read as EPSG:{epsg}.</source>
        <translation>下发文件 {name} 没有声明坐标系；其坐标落在工作空间的分带内，按 EPSG:{epsg} 读取。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="251"/>
        <source>The workspace exists in EPSG:{epsg}; WORKSPACE_CRS {crs} only applies to a new workspace and is ignored. The delivery is transformed into EPSG:{epsg}.</source>
        <translation>工作空间已存在，坐标系为 EPSG:{epsg}；WORKSPACE_CRS {crs} 只用于新建工作空间，此处忽略。下发数据转换到 EPSG:{epsg}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_patches.py" line="206"/>
        <source>The delivery {name} declares the CRS {crs}, but its coordinates x {xmin:.0f}–{xmax:.0f}, y {ymin:.0f}–{ymax:.0f} cannot lie in it. Nothing was imported; check the delivery's CRS (its .prj).</source>
        <translation>下发数据 {name} 声明的坐标系为 {crs}，但其坐标 x {xmin:.0f}–{xmax:.0f}、y {ymin:.0f}–{ymax:.0f} 不可能位于该坐标系中。未导入任何图斑；请检查下发数据的坐标系（.prj 文件）。</translation>
    </message>
</context>
<context>
    <name>ImportPhotosAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="46"/>
        <source>Import field photos</source>
        <translation>导入外业照片</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="49"/>
        <source>Reads the GPS position, bearing and time that each photo of a folder carries in its EXIF data and assigns the photo to the patch containing that position, or else to the nearest patch within the maximum distance. Assigned photos are copied (never moved) into the workspace's evidence folder and recorded as 照片 evidence with their SHA-256; a photo already recorded is not copied again. Every photo gets one output row, including photos without a position, too far from every patch or unreadable, with the reason.</source>
        <translation>读取文件夹中每张照片 EXIF 记录的 GPS 位置、方位角和拍摄时间，将照片归入包含该位置的图斑，否则归入最大距离内最近的图斑。已归入的照片复制（不移动）到工作空间的佐证资料文件夹，作为“照片”类佐证资料连同 SHA-256 一起记录；已记录过的照片不会重复复制。每张照片都输出一行，包括无位置、距所有图斑过远或无法读取的照片，并注明原因。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="58"/>
        <source>Workspace (.gpkg)</source>
        <translation>工作空间（.gpkg）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="60"/>
        <source>Batch (empty: patches of all batches)</source>
        <translation>批次（留空：所有批次的图斑）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="62"/>
        <source>Photo folder</source>
        <translation>照片文件夹</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="64"/>
        <source>Include subfolders</source>
        <translation>包含子文件夹</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="66"/>
        <source>Maximum distance to the nearest patch (m)</source>
        <translation>到最近图斑的最大距离（米）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="69"/>
        <source>Photo matches</source>
        <translation>照片匹配结果</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="71"/>
        <source>Photos matched to a patch</source>
        <translation>已匹配图斑的照片数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="72"/>
        <source>Photos not matched</source>
        <translation>未匹配的照片数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="73"/>
        <source>Photos added as evidence</source>
        <translation>新增为佐证资料的照片数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="104"/>
        <source>added</source>
        <translation>已新增</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="104"/>
        <source>already recorded</source>
        <translation>已存在</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="105"/>
        <source>not imported</source>
        <translation>未导入</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="105"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="105"/>
        <source>canceled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="121"/>
        <source>Canceled: photos copied so far are kept; running again adds only the missing ones.</source>
        <translation>已取消：已复制的照片保留；再次运行只会添加缺少的照片。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/import_photos.py" line="123"/>
        <source>{total} photos: {matched} matched ({added} added), {unmatched} not matched.</source>
        <translation>共 {total} 张照片：匹配 {matched} 张（新增 {added} 张），未匹配 {unmatched} 张。</translation>
    </message>
</context>
<context>
    <name>MainMenu</name>
    <message>
        <location filename="../ui/main_menu.py" line="56"/>
        <source>WPZF Land Enforcement</source>
        <translation>卫片执法</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="60"/>
        <source>Open workspace…</source>
        <translation>打开工作空间…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="62"/>
        <source>Import delivered patches…</source>
        <translation>导入下发图斑…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="160"/>
        <source>Open WPZF workspace</source>
        <translation>打开卫片执法工作空间</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="160"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="198"/>
        <source>WPZF</source>
        <translation>卫片执法</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="59"/>
        <source>New workspace…</source>
        <translation>新建工作空间…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="61"/>
        <source>Open shared workspace…</source>
        <translation>打开共享工作空间…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="64"/>
        <source>Patch list</source>
        <translation>图斑列表</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="65"/>
        <source>Judge selected patch…</source>
        <translation>判定所选图斑…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="66"/>
        <source>Compare imagery</source>
        <translation>内业比对</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="67"/>
        <source>Print patch maps…</source>
        <translation>打印图斑核查图…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="68"/>
        <source>Open patch-map layout in designer…</source>
        <translation>在布局设计器中打开图斑核查图布局…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="71"/>
        <source>Quality check…</source>
        <translation>质检…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="71"/>
        <source>Submit stage (一上 / 二上)…</source>
        <translation>提交上报（一上/二上）…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="71"/>
        <source>Import the city's problem list (一下)…</source>
        <translation>导入一下问题图斑…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="71"/>
        <source>Lock, return or unlock a batch…</source>
        <translation>锁定、退回或解锁批次…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="71"/>
        <source>Town statistics…</source>
        <translation>镇街统计…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="71"/>
        <source>Export report workbook…</source>
        <translation>导出报表…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="71"/>
        <source>Spot-check sample…</source>
        <translation>抽查样本…</translation>
    </message>
    <message>
        <location filename="../ui/main_menu.py" line="198"/>
        <source>Select one patch of a workspace's patch layer (监测图斑) first.</source>
        <translation>请先在工作空间的图斑图层（监测图斑）中选中一个图斑。</translation>
    </message>
</context>
<context>
    <name>MigrateWorkspaceAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/migrate_workspace.py" line="40"/>
        <source>Migrate workspace (GeoPackage ⇄ PostGIS)</source>
        <translation>工作空间迁移（GeoPackage ⇄ PostGIS）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/migrate_workspace.py" line="43"/>
        <source>Copies a GeoPackage workspace into a new schema of a PostgreSQL/PostGIS database (for an office that shares one workspace), or a PostGIS workspace into a new GeoPackage. Every table and row, geometries exactly, evidence files (checked by SHA-256) and the audit and stage history are copied; the target is never overwritten. The report lists row counts and SHA-256 checksums per table on both sides; the copy is committed only when they all match. CONNECTION is the name of a PostgreSQL connection saved in QGIS; its password stays in QGIS&apos;s authentication manager.</source>
        <translation>把 GeoPackage 工作空间复制到 PostgreSQL/PostGIS 数据库的新模式中（供多人共用），或把 PostGIS 工作空间复制为新的 GeoPackage。所有表和行、精确的几何、佐证文件（按 SHA-256 核对）以及审计和阶段记录都会复制；目标从不覆盖。报表逐表列出两边的行数和 SHA-256 校验和，全部一致才提交。CONNECTION 为 QGIS 中保存的 PostgreSQL 连接名，密码始终保存在 QGIS 认证管理器中。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/migrate_workspace.py" line="52"/>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/migrate_workspace.py" line="52"/>
        <source>GeoPackage → PostGIS</source>
        <translation>GeoPackage → PostGIS</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/migrate_workspace.py" line="52"/>
        <source>PostGIS → GeoPackage</source>
        <translation>PostGIS → GeoPackage</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/migrate_workspace.py" line="55"/>
        <source>Workspace GeoPackage (source, or new file to create)</source>
        <translation>工作空间 GeoPackage（源文件，或要新建的文件）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/migrate_workspace.py" line="58"/>
        <source>QGIS PostgreSQL connection name</source>
        <translation>QGIS PostgreSQL 连接名</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/migrate_workspace.py" line="60"/>
        <source>Workspace schema</source>
        <translation>工作空间模式</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/migrate_workspace.py" line="62"/>
        <source>Migration report</source>
        <translation>迁移报表</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/migrate_workspace.py" line="64"/>
        <source>Rows copied</source>
        <translation>已复制行数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/migrate_workspace.py" line="71"/>
        <source>{path} already exists; a workspace is never overwritten.</source>
        <translation>{path} 已存在；工作空间不会被覆盖。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/migrate_workspace.py" line="84"/>
        <source>Connection {name}: {target}, schema {schema}</source>
        <translation>连接 {name}：{target}，模式 {schema}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/migrate_workspace.py" line="93"/>
        <source>Canceled; nothing was copied.</source>
        <translation>已取消；未复制任何内容。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/migrate_workspace.py" line="99"/>
        <source>{rows} rows in {tables} tables copied in {seconds:.1f} s; checksums match.</source>
        <translation>已复制 {tables} 个表共 {rows} 行，用时 {seconds:.1f} 秒；校验和一致。</translation>
    </message>
</context>
<context>
    <name>MissingDependenciesPlugin</name>
    <message>
        <location filename="../missing_dependencies.py" line="21"/>
        <source>in the OSGeo4W Shell (Start menu → QGIS → OSGeo4W Shell)</source>
        <translation>在 OSGeo4W Shell 中（开始菜单 → QGIS → OSGeo4W Shell）</translation>
    </message>
    <message>
        <location filename="../missing_dependencies.py" line="23"/>
        <source>in a terminal</source>
        <translation>在终端中</translation>
    </message>
    <message>
        <location filename="../missing_dependencies.py" line="50"/>
        <source>WPZF needs these Python packages: {packages}. Install them {where} with:
{command}
then restart QGIS.</source>
        <translation>卫片执法插件需要以下 Python 软件包：{packages}。请{where}运行：
{command}
然后重新启动 QGIS。</translation>
    </message>
    <message>
        <location filename="../missing_dependencies.py" line="61"/>
        <source>WPZF</source>
        <translation>卫片执法</translation>
    </message>
</context>
<context>
    <name>OverlaySummaryAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="60"/>
        <source>Overlay summary of patches</source>
        <translation>图斑叠加分析</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="72"/>
        <source>Overlay layer</source>
        <translation>叠加图层</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="74"/>
        <source>Key fields to carry (e.g. PZWH)</source>
        <translation>需带出的关键字段（如批准文号 PZWH）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="77"/>
        <source>Area method</source>
        <translation>面积计算方法</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="79"/>
        <source>Overlay summary</source>
        <translation>叠加分析结果</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="81"/>
        <source>Overlay detail</source>
        <translation>叠加明细</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="91"/>
        <source>PATCHES and OVERLAY must be polygon layers.</source>
        <translation>PATCHES 与 OVERLAY 必须是面图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="63"/>
        <source>For every patch: the area covered by an overlay layer (approvals, land supply, temporary use, facility agriculture, cadastral parcels, mining rights), its share of the patch, the number of overlay features and their key fields (e.g. approval numbers) joined. Overlapping overlay features are counted once in the covered area. Invalid overlay polygons are repaired and counted, features with no area are named by id, and an empty layer is reported. DETAIL lists every patch and overlay feature pair.</source>
        <translation>逐图斑计算叠加图层（审批、供地、临时用地、设施农用地、地籍宗地、矿业权）覆盖的面积、占图斑的比例、叠加要素个数及其关键字段（如批准文号）。相互重叠的叠加要素在覆盖面积中只计一次。无效的叠加多边形予以修复并计数，没有面积的要素按编号列出，空图层予以报告。DETAIL 列出每一对图斑与叠加要素。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="83"/>
        <source>Invalid overlay polygons repaired</source>
        <translation>修复的无效叠加多边形数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/overlay_summary.py" line="84"/>
        <source>Overlay features with no area (listed in the log)</source>
        <translation>没有面积的叠加要素数（见日志）</translation>
    </message>
</context>
<context>
    <name>PatchListDock</name>
    <message>
        <location filename="../ui/patch_list/dock.py" line="242"/>
        <source>Patch list</source>
        <translation>图斑列表</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="79"/>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="79"/>
        <source>Town</source>
        <translation>镇街</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="79"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="80"/>
        <source>Decision</source>
        <translation>判定类型</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="80"/>
        <source>Suggestion</source>
        <translation>预判建议</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="81"/>
        <source>Deadline</source>
        <translation>判定期限</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="97"/>
        <source>Search JCBH…</source>
        <translation>搜索监测编号…</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="101"/>
        <source>Previous patch</source>
        <translation>上一个图斑</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="102"/>
        <source>Next patch</source>
        <translation>下一个图斑</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="103"/>
        <source>Reload</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="225"/>
        <source>WPZF</source>
        <translation>卫片执法</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="261"/>
        <source>Undecided</source>
        <translation>未判定</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="263"/>
        <source>No suggestion</source>
        <translation>无预判</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="266"/>
        <source>Later or no deadline</source>
        <translation>未到期或无期限</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="272"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="285"/>
        <source>All ({count})</source>
        <translation>全部 ({count})</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="309"/>
        <source>{shown} of {total} patches</source>
        <translation>显示 {shown} / 共 {total} 个图斑</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="157"/>
        <source>Colour the map by decision or stage</source>
        <translation>按判定类型或阶段给地图着色</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="161"/>
        <source>Colour by decision (判定类型)</source>
        <translation>按判定类型着色</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="162"/>
        <source>Colour by stage (阶段)</source>
        <translation>按阶段着色</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="163"/>
        <source>Default style</source>
        <translation>默认样式</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="81"/>
        <source>Field visit</source>
        <translation>外业踏勘</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="271"/>
        <source>Visited</source>
        <translation>已踏勘</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="271"/>
        <source>Not visited</source>
        <translation>未踏勘</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="82"/>
        <source>Imagery change</source>
        <translation>影像变化</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="250"/>
        <source>No clear change (≤ {score})</source>
        <translation>无明显变化（≤ {score}）</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="252"/>
        <source>Clear change (≥ {score})</source>
        <translation>变化明显（≥ {score}）</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="253"/>
        <source>In between</source>
        <translation>其间</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="253"/>
        <source>No score or flagged</source>
        <translation>无得分/已标注</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="254"/>
        <source>Scored (the rule set has no [imagery] thresholds)</source>
        <translation>有得分（规则集无 [imagery] 阈值）</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/dock.py" line="154"/>
        <source>Colour</source>
        <translation>着色</translation>
    </message>
</context>
<context>
    <name>PatchTableModel</name>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>JCBH</source>
        <translation>监测编号</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Town</source>
        <translation>镇街</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Decision</source>
        <translation>判定类型</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Situation</source>
        <translation>具体情形</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Suggestion</source>
        <translation>预判建议</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Deadline</source>
        <translation>判定期限</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Days left</source>
        <translation>剩余天数</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Errors</source>
        <translation>质检错误</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Returned</source>
        <translation>一下问题</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Area (mu)</source>
        <translation>监测面积(亩)</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Farmland (mu)</source>
        <translation>耕地面积(亩)</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Basic farmland (mu)</source>
        <translation>永久基本农田面积(亩)</translation>
    </message>
    <message>
        <location filename="../ui/patch_list/model.py" line="65"/>
        <source>Change score</source>
        <translation>变化得分</translation>
    </message>
</context>
<context>
    <name>PgLayers</name>
    <message>
        <location filename="../processing/pg_layers.py" line="55"/>
        <source>The SQL engine cannot use selected features only ({parameter}): it reads whole tables. Filter the layer with a subset string instead, or use the Python engine.</source>
        <translation>SQL 引擎不能只处理选中要素（{parameter}）：它读取整张表。请改用图层过滤条件，或使用 Python 引擎。</translation>
    </message>
    <message>
        <location filename="../processing/pg_layers.py" line="60"/>
        <source>The SQL engine cannot use a feature limit ({parameter}); use the Python engine.</source>
        <translation>SQL 引擎不支持要素数量限制（{parameter}）；请使用 Python 引擎。</translation>
    </message>
    <message>
        <location filename="../processing/pg_layers.py" line="64"/>
        <source>Layer {layer} ({parameter}) is not a PostGIS layer. The SQL engine needs PATCHES, LANDUSE and BASIC_FARMLAND as PostGIS tables of one database; use the Python engine for other layers.</source>
        <translation>图层 {layer}（{parameter}）不是 PostGIS 图层。SQL 引擎要求 PATCHES、LANDUSE 和 BASIC_FARMLAND 都是同一数据库中的 PostGIS 表；其他图层请使用 Python 引擎。</translation>
    </message>
    <message>
        <location filename="../processing/pg_layers.py" line="70"/>
        <source>Layer {layer} ({parameter}) is an SQL query; the SQL engine reads tables and views only.</source>
        <translation>图层 {layer}（{parameter}）是 SQL 查询；SQL 引擎只能读取表和视图。</translation>
    </message>
    <message>
        <location filename="../processing/pg_layers.py" line="75"/>
        <source>Layer {layer} ({parameter}) has no geometry column.</source>
        <translation>图层 {layer}（{parameter}）没有几何字段。</translation>
    </message>
    <message>
        <location filename="../processing/pg_layers.py" line="90"/>
        <source>Layer {layer} ({parameter}) is in database {database}, not in {first_database} of {first_parameter}; the SQL engine needs all layers in one database.</source>
        <translation>图层 {layer}（{parameter}）位于数据库 {database}，而不是 {first_parameter} 所在的 {first_database}；SQL 引擎要求所有图层在同一数据库中。</translation>
    </message>
    <message>
        <location filename="../processing/pg_layers.py" line="101"/>
        <source>The authentication configuration {authcfg} of layer {layer} could not be read (is the master password set?).</source>
        <translation>无法读取图层 {layer} 的认证配置 {authcfg}（是否已设置主密码？）。</translation>
    </message>
    <message>
        <location filename="../processing/pg_layers.py" line="108"/>
        <source>Layer {layer} ({parameter}) has no single-column primary key; the SQL engine needs one to match its results to the features.</source>
        <translation>图层 {layer}（{parameter}）没有单列主键；SQL 引擎需要主键把计算结果对应到要素。</translation>
    </message>
</context>
<context>
    <name>PrejudgeAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="111"/>
        <source>Legality pre-judgement</source>
        <translation>合法性预判</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="127"/>
        <source>Land use (三调 DLTB)</source>
        <translation>土地利用现状（三调地类图斑 DLTB）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="130"/>
        <source>Permanent basic farmland</source>
        <translation>永久基本农田</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="132"/>
        <source>Approval-type layers (NYDZY, TDGY, LSYD, SSNYD, …)</source>
        <translation>审批类图层（NYDZY、TDGY、LSYD、SSNYD 等）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="138"/>
        <source>Pre-judgement</source>
        <translation>预判结果</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="140"/>
        <source>Patches with a stored suggestion</source>
        <translation>已保存预判的图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="161"/>
        <source>{n} patches of locked batches were judged but not stored.</source>
        <translation>{n} 个已锁定批次的图斑已预判但未保存。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="164"/>
        <source>Rule set {ruleset}: {n} suggestions stored.</source>
        <translation>规则集 {ruleset}：已保存 {n} 条预判建议。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="322"/>
        <source>{layer}: {kind}, document numbers from {field}</source>
        <translation>{layer}：{kind}，文号取自字段 {field}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="340"/>
        <source>Layer {layer} is not a known approval-type layer; name it after one of: {kinds}.</source>
        <translation>图层 {layer} 不是已知的审批类图层；请按以下之一命名：{kinds}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="317"/>
        <source>{layer} ({kind}) is treated as not compared: no suggestion rests on it.</source>
        <translation>{layer}（{kind}）视为未比对：任何建议都不以它为依据。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="329"/>
        <source>{layer} is treated as not compared: no suggestion rests on it.</source>
        <translation>{layer} 视为未比对：任何建议都不以它为依据。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="114"/>
        <source>Suggests a decision (判定类型 and 具体情形) for every patch of a workspace batch from the land use, the permanent basic farmland and the approval-type layers given in COVERS (each recognised by its name, e.g. NYDZY, TDGY, LSYD, SSNYD), following the rule set's rules in order. Each suggestion names the rule that fired and its evidence (shares, document numbers, areas). An empty layer (no features, or none near the patches) is reported and treated as not compared. Suggestions are stored beside the technician's decision and never overwrite it. The overlay's figures are stored with the batch: a rerun whose patch geometries, layers (file, feature count, size and time), rule set and area method are unchanged reuses them instead of overlaying again, with identical results; untick 'Reuse the stored overlay' to overlay afresh.</source>
        <translation>依据三调、永久基本农田和 COVERS 中的审批类图层（按名称识别，如 NYDZY、TDGY、LSYD、SSNYD），按规则集的规则顺序为工作空间批次中的每个图斑给出建议判定（判定类型和具体情形）。每条建议注明命中的规则及其依据（比例、文号、面积）。空图层（没有要素，或图斑附近没有要素）予以报告并视为未比对。建议与技术人员的判定分开保存，从不覆盖判定。叠加分析的面积等结果随批次保存：再次运行时，若图斑图形、各图层（文件、要素数、大小和修改时间）、规则集和面积计算方法均未改变，则直接复用已存结果而不重新叠加，结果完全相同；取消勾选“复用已存叠加结果”可重新叠加。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="135"/>
        <source>Reuse the stored overlay when patches and layers are unchanged</source>
        <translation>复用已存叠加结果（图斑和图层未改变时）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="227"/>
        <source>plugin overlay version</source>
        <translation>插件叠加算法版本</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="227"/>
        <source>patch geometries</source>
        <translation>图斑图形</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="228"/>
        <source>land-use layer</source>
        <translation>三调地类图层</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="228"/>
        <source>basic farmland layer</source>
        <translation>永久基本农田图层</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="229"/>
        <source>approval-type layers</source>
        <translation>审批类图层</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="229"/>
        <source>rule set</source>
        <translation>规则集</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="231"/>
        <source>area method</source>
        <translation>面积计算方法</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="233"/>
        <source>Overlaying afresh: reuse of the stored overlay is switched off.</source>
        <translation>重新叠加：已关闭复用已存叠加结果。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="235"/>
        <source>Overlaying: {layer} is a temporary, database or selection layer whose changes cannot be told cheaply.</source>
        <translation>进行叠加：{layer} 是临时图层、数据库图层或仅选中要素，无法快速判断其是否改变。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="238"/>
        <source>Overlaying: no overlay of this batch is stored yet.</source>
        <translation>进行叠加：本批次尚无已存的叠加结果。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="240"/>
        <source>Overlaying again: {what} changed since the overlay of {date}.</source>
        <translation>重新叠加：自 {date} 的叠加以来，{what}已改变。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="243"/>
        <source>Overlaying again: the stored overlay of {date} lacks some patches.</source>
        <translation>重新叠加：{date} 的已存叠加结果缺少部分图斑。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="246"/>
        <source>Reused the overlay of {date}: patch geometries, layers, rule set and area method are unchanged (untick &apos;Reuse the stored overlay&apos; to overlay afresh).</source>
        <translation>已复用 {date} 的叠加结果：图斑图形、图层、规则集和面积计算方法均未改变（取消勾选“复用已存叠加结果”可重新叠加）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="261"/>
        <source>The overlay could not be stored for reuse: {reason}</source>
        <translation>叠加结果未能保存以供复用：{reason}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="230"/>
        <source>land class fields or farmland codes</source>
        <translation>地类字段或耕地编码</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/prejudge.py" line="181"/>
        <source>Imagery screening of {n} patches used: {unchanged} suggested unchanged (实地未变化), {changed} illegal suggestions backed by a clear change, {regrown} possibly re-cultivated.</source>
        <translation>使用了 {n} 个图斑的影像预筛结果：{unchanged} 个建议为实地未变化，{changed} 个违法建议有明显变化佐证，{regrown} 个可能已复耕。</translation>
    </message>
</context>
<context>
    <name>PrintPatchMapsAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="87"/>
        <source>Print patch maps</source>
        <translation>打印图斑核查图</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="90"/>
        <source>Prints the case-file map (图斑核查图) of each patch: after- and before-image maps at the same round scale with the patch boundary, its number and the overlays given (三调 farmland, permanent basic farmland, approval and supply boundaries), the patch's facts (town, village, image dates, areas in m² and 亩, decision and its basis, centre), the boundary-point table J1…Jn in the workspace's Gauss-Kruger CRS (X = northing, Y = easting; long tables continue on extra pages), north arrow, scale bar, legend, producing office, date and sign-off boxes. Patches come from PATCHES (use 'Selected features only' for the selection) or from the workspace's batch, narrowed by EXPRESSION. One PDF per patch named by its number, or one combined PDF. A patch that fails is listed in FAILED and the others still print.</source>
        <translation>逐图斑打印图斑核查图：后时相和前时相影像同一整数比例尺并排，显示图斑边界、编号及所给叠加图层（三调耕地、永久基本农田、审批和供地范围）；图斑信息（乡镇、村、时相、面积（平方米和亩）、判定结果及依据、中心点）；工作空间高斯-克吕格坐标系下的界址点坐标表 J1…Jn（X 为纵坐标（北），Y 为横坐标（东），表长时续页）；指北针、比例尺、图例、制图单位、日期和签字栏。图斑取自 PATCHES（勾选“仅选中要素”即打印选中图斑）或工作空间的批次，可用 EXPRESSION 筛选。每个图斑一个以监测编号命名的 PDF，或合并为一个 PDF。打印失败的图斑列入 FAILED，其余照常打印。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="102"/>
        <source>Workspace (.gpkg; empty: use PATCHES)</source>
        <translation>工作空间（.gpkg；留空则用 PATCHES）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="105"/>
        <source>Batch (empty: all)</source>
        <translation>批次（留空：全部）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="107"/>
        <source>Patches (empty: the workspace&apos;s)</source>
        <translation>图斑（留空：工作空间的图斑）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="111"/>
        <source>Filter expression</source>
        <translation>筛选表达式</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="113"/>
        <source>Before image (前时相)</source>
        <translation>前时相影像</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="115"/>
        <source>After image (后时相)</source>
        <translation>后时相影像</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="117"/>
        <source>Land use (三调 DLTB), farmland shown</source>
        <translation>三调地类图斑（DLTB），显示耕地</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="120"/>
        <source>Permanent basic farmland</source>
        <translation>永久基本农田</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="123"/>
        <source>Approval and supply layers (NYDZY, TDGY, …)</source>
        <translation>审批和供地图层（NYDZY、TDGY 等）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="126"/>
        <source>Towns (XZQ: XZQDM, XZQMC)</source>
        <translation>乡镇（XZQ：XZQDM、XZQMC）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="128"/>
        <source>Villages (CJDCQ: ZLDWMC)</source>
        <translation>村（CJDCQ：ZLDWMC）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="130"/>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="131"/>
        <source>Output</source>
        <translation>输出方式</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="131"/>
        <source>One PDF per patch</source>
        <translation>每个图斑一个 PDF</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="131"/>
        <source>One combined PDF</source>
        <translation>合并为一个 PDF</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="133"/>
        <source>Producing office</source>
        <translation>制图单位</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="135"/>
        <source>Folder for one PDF per patch</source>
        <translation>逐图斑 PDF 输出文件夹</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="137"/>
        <source>Combined PDF</source>
        <translation>合并 PDF</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="137"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="140"/>
        <source>Patches printed</source>
        <translation>已打印图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="141"/>
        <source>Pages printed</source>
        <translation>已打印页数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="142"/>
        <source>Patches that failed, with the reason</source>
        <translation>失败的图斑及原因</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="202"/>
        <source>The workspace has no batch {batch}.</source>
        <translation>工作空间中没有批次 {batch}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="181"/>
        <source>Cannot open the patch layer of {path}.</source>
        <translation>无法打开 {path} 的图斑图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="187"/>
        <source>Give a WORKSPACE or a PATCHES layer.</source>
        <translation>请给出 WORKSPACE 或 PATCHES 图层。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="213"/>
        <source>Choose the combined PDF file (OUTPUT_PDF).</source>
        <translation>请选择合并 PDF 文件（OUTPUT_PDF）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="215"/>
        <source>Choose the folder for the PDFs (OUTPUT_FOLDER).</source>
        <translation>请选择 PDF 输出文件夹（OUTPUT_FOLDER）。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="313"/>
        <source>No patch matches: nothing printed.</source>
        <translation>没有符合条件的图斑，未打印。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="316"/>
        <source>{n} patches to print in EPSG:{epsg}.</source>
        <translation>待打印图斑 {n} 个，坐标系 EPSG:{epsg}。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="331"/>
        <source>the patch has no geometry</source>
        <translation>图斑没有几何图形</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="348"/>
        <source>Patch {jcbh} not printed: {error}</source>
        <translation>图斑 {jcbh} 未打印：{error}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="362"/>
        <source>{printed} patches printed, {failed} failed.</source>
        <translation>已打印 {printed} 个图斑，失败 {failed} 个。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/print_patch_maps.py" line="266"/>
        <source>EXPRESSION cannot be read: {error}</source>
        <translation>无法解析 EXPRESSION：{error}</translation>
    </message>
</context>
<context>
    <name>QGnomeTheme</name>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>&amp;OK</source>
        <translation>确定(&amp;O)</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Close without Saving</source>
        <translation>关闭且不保存</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Save All</source>
        <translation>全部保存</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>&amp;Yes</source>
        <translation>是(&amp;Y)</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Yes to &amp;All</source>
        <translation>全部是(&amp;A)</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>&amp;No</source>
        <translation>否(&amp;N)</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>N&amp;o to All</source>
        <translation>全部否(&amp;O)</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Abort</source>
        <translation>中止</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Ignore</source>
        <translation>忽略</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <location filename="qt_buttons.py" line="14"/>
        <source>Restore Defaults</source>
        <translation>恢复默认值</translation>
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
        <location filename="../processing/algorithms/quality_check.py" line="50"/>
        <source>Check as of (empty: today)</source>
        <translation>检查日期（留空：今天）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="52"/>
        <source>Quality-check results</source>
        <translation>质检结果</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="54"/>
        <source>Errors</source>
        <translation>质检错误</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="55"/>
        <source>Warnings</source>
        <translation>警告数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="56"/>
        <source>Stage may be submitted</source>
        <translation>可以上报</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="84"/>
        <source>Rule set {ruleset}: {errors} errors, {warnings} warnings.</source>
        <translation>规则集 {ruleset}：{errors} 个错误，{warnings} 个警告。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="40"/>
        <source>Runs the consistency checks of the workspace's rule set (deadlines, documents for legal patches, case or referral and rectification plan for illegal ones, area identities, split patches, category values, undecided patches, case details, 新增/存量, homestead evidence) and lists one row per patch and broken rule. Results are stored in the workspace. A stage cannot be submitted while errors remain; warnings may pass, except an undecided patch: a warning before its decision deadline here, an error when the batch is submitted (一上 / 二上).</source>
        <translation>按工作空间规则集进行一致性检查（判定期限、合法图斑的批文、违法图斑的立案或移交及整改方式、面积关系、拆分地块、取值是否规范、未判定图斑、立案信息、新增/存量、宅基地佐证），每个图斑每条不通过的规则输出一行。结果保存在工作空间中。有错误时不能上报；警告可以上报，但未判定图斑例外：在这里判定期限前是警告，上报批次（一上/二上）时是错误。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/quality_check.py" line="88"/>
        <source>{count} of the warnings become errors when the batch is submitted (patches not yet decided): the stage cannot be submitted yet.</source>
        <translation>其中 {count} 条警告在上报批次时是错误（图斑尚未判定）：目前还不能上报。</translation>
    </message>
</context>
<context>
    <name>RectificationForm</name>
    <message>
        <location filename="../ui/forms/progress.py" line="322"/>
        <source>Rectification</source>
        <translation>整改</translation>
    </message>
    <message>
        <location filename="../ui/forms/progress.py" line="385"/>
        <source>{area} mu</source>
        <translation>{area} 亩</translation>
    </message>
    <message>
        <location filename="../ui/forms/progress.py" line="363"/>
        <source>not recorded: enter the illegal area in the decision first</source>
        <translation>未填写：请先在合法性判定中填写违法面积</translation>
    </message>
    <message>
        <location filename="../ui/forms/progress.py" line="335"/>
        <source>of the approved area, farmland (mu)</source>
        <translation>补办面积中的耕地（亩）</translation>
    </message>
    <message>
        <location filename="../ui/forms/progress.py" line="341"/>
        <source>Re-cultivated + approved farmland; demolition alone does not count</source>
        <translation>复耕 + 补办耕地；仅拆除不计入</translation>
    </message>
</context>
<context>
    <name>ReferralForm</name>
    <message>
        <location filename="../ui/forms/progress.py" line="144"/>
        <source>Referral</source>
        <translation>移交</translation>
    </message>
    <message>
        <location filename="../ui/forms/progress.py" line="188"/>
        <source> (referred)</source>
        <translation>（已移交）</translation>
    </message>
    <message>
        <location filename="../ui/forms/progress.py" line="189"/>
        <source>Referral suggested by the rule set: {departments}</source>
        <translation>规则集建议移交：{departments}</translation>
    </message>
</context>
<context>
    <name>ReportingAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/reporting_base.py" line="55"/>
        <source>Period: month 2022-05, quarter 2022-Q2 or year 2022 (empty: every batch)</source>
        <translation>统计期间：月 2022-05、季度 2022-Q2 或年 2022（留空：全部批次）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/reporting_base.py" line="71"/>
        <source>Town code field</source>
        <translation>镇街代码字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/reporting_base.py" line="74"/>
        <source>Town name field</source>
        <translation>镇街名称字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/reporting_base.py" line="59"/>
        <source>Figures as at (yyyy-mm-dd; empty: the period&apos;s end, for the rule set&apos;s year its statistics_end)</source>
        <translation>统计截止日期（yyyy-mm-dd；留空：统计期末，规则集所在年度取其 statistics_end）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/reporting_base.py" line="65"/>
        <source>Town boundaries (三调 XZQ, optional; stored as the workspace's towns when it holds none)</source>
        <translation>镇街界线（三调 XZQ，可选；工作空间尚无镇街时保存为工作空间的镇街）</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location filename="../ui/forms/review_panel.py" line="64"/>
        <source>Opinion (the reason when sending back)</source>
        <translation>审核意见（退回时填写理由）</translation>
    </message>
    <message>
        <location filename="../ui/forms/review_panel.py" line="65"/>
        <source>The 分管负责人 took part</source>
        <translation>分管负责人参与</translation>
    </message>
    <message>
        <location filename="../ui/forms/review_panel.py" line="71"/>
        <source>Sign</source>
        <translation>签署</translation>
    </message>
    <message>
        <location filename="../ui/forms/review_panel.py" line="73"/>
        <source>Send back (退回)</source>
        <translation>退回</translation>
    </message>
    <message>
        <location filename="../ui/forms/review_panel.py" line="102"/>
        <source>Review state: {state}</source>
        <translation>审查状态：{state}</translation>
    </message>
</context>
<context>
    <name>ReviewPatchesAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="53"/>
        <source>Review patches (批量审核)</source>
        <translation>批量审核</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="56"/>
        <source>层层审查: signs 审核 (STEP 0, the reviewer) or 审定 (STEP 1, the 分管负责人) for the decided patches of BATCH, narrowed by EXPRESSION on the workspace's patch layer, with REVIEWER and OPINION; SEND_BACK sends them back (退回) instead, with OPINION as the reason, which reopens each patch until the technician saves its decision again. A patch not ready for the step is refused on its own row, with the reason: no decision, sent back, the step already signed, 审定 before 审核, or the same person signing two steps of one chain. A 重大违法图斑 (the rule set's [review]) needs LEAD (分管负责人参与) at 审定. On a GeoPackage the REVIEWER name signs (and the workspace may list who may sign a step); on a shared PostGIS workspace the login signs, and the database lets only reviewers sign 审核 and approvers 审定.</source>
        <translation>层层审查：对 BATCH 中已判定的图斑（可按工作空间图斑图层上的 EXPRESSION 筛选）以 REVIEWER 和 OPINION 签署审核（STEP 0，审核人）或审定（STEP 1，分管负责人）；勾选 SEND_BACK 则改为退回，OPINION 为退回理由，图斑重新打开，直到技术人员重新保存判定。不满足该步骤条件的图斑单独一行拒绝并说明原因：未判定、已退回、该步骤已签署、未审核先审定、同一人签署同一审查链的两个步骤。重大违法图斑（规则集的 [review]）审定时须勾选 LEAD（分管负责人参与）。GeoPackage 工作空间以 REVIEWER 的姓名签署（工作空间可以规定每个步骤可由谁签署）；共享 PostGIS 工作空间以登录名签署，数据库只允许审核人签署审核、审定人签署审定。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="69"/>
        <source>Batch (empty: all)</source>
        <translation>批次（留空：全部）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="70"/>
        <source>Only patches matching this expression</source>
        <translation>仅符合此表达式的图斑</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="72"/>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="72"/>
        <source>审核 (review)</source>
        <translation>审核</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="72"/>
        <source>审定 (approval)</source>
        <translation>审定</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="74"/>
        <source>Reviewer (empty: the workspace user or login)</source>
        <translation>审核人（留空：工作空间用户或登录名）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="76"/>
        <source>Opinion (the reason when sending back)</source>
        <translation>审核意见（退回时填写理由）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="78"/>
        <source>Send back (退回)</source>
        <translation>退回</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="80"/>
        <source>The 分管负责人 took part (分管负责人参与)</source>
        <translation>分管负责人参与</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="82"/>
        <source>Rule set (empty: the workspace&apos;s)</source>
        <translation>规则集（留空：工作空间的规则集）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="84"/>
        <source>Review report</source>
        <translation>审核报告</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="86"/>
        <source>Patches signed</source>
        <translation>已签署图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="87"/>
        <source>Patches refused</source>
        <translation>被拒绝图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="97"/>
        <source>EXPRESSION: {error}</source>
        <translation>EXPRESSION：{error}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/review_patches.py" line="141"/>
        <source>{step}: {signed} patches signed, {refused} refused (see the report).</source>
        <translation>{step}：已签署 {signed} 个图斑，拒绝 {refused} 个（见报告）。</translation>
    </message>
</context>
<context>
    <name>SamplePatchesAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/sample_patches.py" line="34"/>
        <source>Spot-check sample</source>
        <translation>抽查样本</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/sample_patches.py" line="37"/>
        <source>Draws patches for 抽查督导: strata are town × decision category, each stratum gets a share of the sample by its weight (at least one patch), and within a stratum larger and illegal patches are likelier (weight = √area in 亩 × the illegal factor). The same seed and data give the same sample. The plan (seed, formula, strata, population and sample sizes, chosen IDs) is written as JSON.</source>
        <translation>为抽查督导抽取图斑：按镇街 × 判定类型分层，各层按权重分配样本（每层至少 1 个），层内面积越大、违法的图斑越容易被抽中（权重 = √面积(亩) × 违法系数）。相同的随机种子和数据得到相同的样本。抽样方案（种子、公式、各层总数和样本数、抽中编号）写入 JSON 文件。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/sample_patches.py" line="45"/>
        <source>Sample size</source>
        <translation>样本量</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/sample_patches.py" line="47"/>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/sample_patches.py" line="49"/>
        <source>Weight of an illegal patch</source>
        <translation>违法图斑权重系数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/sample_patches.py" line="52"/>
        <source>Sampled patches</source>
        <translation>抽中的图斑</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/sample_patches.py" line="54"/>
        <source>Sampling plan</source>
        <translation>抽样方案</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/sample_patches.py" line="54"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/sample_patches.py" line="56"/>
        <source>Patches sampled</source>
        <translation>抽中图斑数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/sample_patches.py" line="94"/>
        <source>{sampled} of {population} patches sampled in {strata} strata (seed {seed}); plan written to {plan}.</source>
        <translation>从 {population} 个图斑中按 {strata} 层抽取 {sampled} 个（随机种子 {seed}）；抽样方案已写入 {plan}。</translation>
    </message>
</context>
<context>
    <name>SetStageAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/set_stage.py" line="24"/>
        <source>Lock, return or unlock a batch</source>
        <translation>锁定、退回或解锁批次</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/set_stage.py" line="27"/>
        <source>Records what the city did with a reported batch. Lock (锁定): after 一上 or 二上 the stage data are frozen and the database refuses every change. Returned (一下): the city sent problems back (importing its problem list does this too). Unlock: only with a reason, which is kept in the stage history; the batch returns to 二上. Every change is recorded with who and when.</source>
        <translation>记录市局对已上报批次的处理。锁定：一上或二上之后冻结阶段数据，数据库拒绝任何修改。退回（一下）：市局退回问题图斑（导入问题清单也会完成这一步）。解锁：必须填写原因并记入阶段记录，批次回到“二上”。每次变更都记录操作人和时间。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/set_stage.py" line="35"/>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/set_stage.py" line="36"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/set_stage.py" line="36"/>
        <source>Lock (锁定)</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/set_stage.py" line="36"/>
        <source>Returned by the city (一下)</source>
        <translation>市局退回（一下）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/set_stage.py" line="36"/>
        <source>Unlock (needs a reason)</source>
        <translation>解锁（需填写原因）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/set_stage.py" line="39"/>
        <source>Reason (for unlocking)</source>
        <translation>原因（解锁时填写）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/set_stage.py" line="40"/>
        <source>New stage</source>
        <translation>新阶段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/set_stage.py" line="58"/>
        <source>Batch {batch} is now at stage {stage}.</source>
        <translation>批次 {batch} 现处于“{stage}”阶段。</translation>
    </message>
</context>
<context>
    <name>SubmitStageAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/submit_stage.py" line="27"/>
        <source>Submit stage (一上 / 二上)</source>
        <translation>提交上报（一上/二上）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/submit_stage.py" line="42"/>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/submit_stage.py" line="43"/>
        <source>Rule set (empty: the workspace&apos;s)</source>
        <translation>规则集（留空：工作空间的规则集）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/submit_stage.py" line="45"/>
        <source>Check as of (empty: today)</source>
        <translation>检查日期（留空：今天）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/submit_stage.py" line="47"/>
        <source>New stage</source>
        <translation>新阶段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/submit_stage.py" line="48"/>
        <source>Snapshot file</source>
        <translation>快照文件</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/submit_stage.py" line="49"/>
        <source>Snapshot SHA-256</source>
        <translation>快照 SHA-256</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/submit_stage.py" line="50"/>
        <source>Warnings</source>
        <translation>警告数</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/submit_stage.py" line="65"/>
        <source>Batch {batch} submitted as {stage}: {patches} patches, snapshot {file} (SHA-256 {sha}), {warnings} warnings.</source>
        <translation>批次 {batch} 已提交为“{stage}”：{patches} 个图斑，快照 {file}（SHA-256 {sha}），{warnings} 条警告。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/submit_stage.py" line="30"/>
        <source>Submits a batch to the city: from 核查中 as 一上, from 一下 as 二上. The rule set's quality check runs first, as for a submission: a patch without a decision (or with only a pre-judgement term such as 疑似违法 or 待核查) is an error here. Then the rule set's review chain (层层审查, [review]): the 2022 Chongqing set needs 审核 of every decided patch and 审定 with the 分管负责人's participation of each 重大违法图斑 (rule R01, one error per patch saying what is missing; sign with Review patches). Any error refuses the submission and nothing changes (the errors are stored in the workspace). Otherwise a snapshot of exactly what is reported (every patch field and record, with its SHA-256) is frozen in the workspace and written to its snapshots folder, and the stage changes, all at once.</source>
        <translation>向市局提交批次：核查中提交为一上，一下提交为二上。先按规则集做上报质检：没有判定（或只有疑似违法、待核查等预判用语）的图斑在此为错误。再检查规则集的层层审查（[review]）：2022 年重庆规则集要求每个已判定图斑经过审核，每个重大违法图斑经过审定并记录分管负责人参与（规则 R01，每个图斑一条错误，说明缺少什么；用“批量审核”签署）。有任何错误则拒绝提交，不做任何修改（错误保存在工作空间中）。否则把本次上报的内容（每个图斑的全部字段和记录，含 SHA-256）冻结为快照保存在工作空间并写入快照文件夹，同时变更阶段，一次完成。</translation>
    </message>
</context>
<context>
    <name>TownStatisticsAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="45"/>
        <source>Town statistics</source>
        <translation>镇街统计</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="47"/>
        <source>Counted illegal farmland (mu)</source>
        <translation>计入问责的违法占耕面积（亩）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="48"/>
        <source>Illegal farmland after rectification (mu)</source>
        <translation>整改后违法占耕面积（亩）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="50"/>
        <source>Illegal farmland ratio</source>
        <translation>违法占耕比例</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="59"/>
        <source>Initial area line reached</source>
        <translation>触及初始面积扣分线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="60"/>
        <source>After-rectification line exceeded</source>
        <translation>超过整改后面积扣分线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="61"/>
        <source>Ratio line exceeded</source>
        <translation>超过比例问责线</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="62"/>
        <source>Threshold findings</source>
        <translation>考核预警说明</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="63"/>
        <source>Towns proposed for 约谈</source>
        <translation>建议约谈的镇街</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="78"/>
        <source>Proposed for 约谈: {towns}</source>
        <translation>建议约谈：{towns}</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="28"/>
        <source>Per town (镇街: the town holding the largest part of the patch when the workspace holds the towns, else the patches' XZQDM) and for the district, for the batches received in a period: patches and area issued (原始下发) and after splitting (核实后); decisions by category; illegal count, area, farmland and permanent basic farmland, initially and after rectification; rectified, in progress and not started; demolished and approved areas; referrals by department; check columns. Figures are as at a date (AS_OF; default the period's end, for the rule set's year its statistics_end, 2022 → 2022-12-31): rectification, referral and case progress dated later is not counted, and farmland counts as rectified only when re-cultivation or approval is recorded. The illegal farmland ratio = counted illegal farmland ÷ farmland taken by new construction (legal and illegal construction as the rule set's 统计口径 defines it: temporary land, facility agriculture, rural roads and non-grain change are not construction), with the rule set's deduction types; the three penalty thresholds (initial, after rectification, ratio) are reported with the numbers behind them. Towns are ranked for 约谈 on the rule set's criteria.</source>
        <translation>按镇街（工作空间有镇街界线时取图斑面积最大部分所在的镇街，否则取图斑的 XZQDM）和全区统计某一期间接收的批次：下发图斑数和面积（原始下发）及拆分后（核实后）；各判定类型；违法图斑数、面积、占用耕地和永久基本农田（初始和整改后）；已整改、整改中、未整改；拆除和补办面积；各部门移交；校验列。统计截至某一日期（AS_OF；默认统计期末，规则集所在年度取其 statistics_end，2022 → 2022-12-31）：日期在其后的整改、移交、立案查处进展不计入；只有记录了复耕或补办的耕地才算已整改。违法占耕比例 = 计入问责的违法占用耕地 ÷ 新增建设用地占用耕地（合法和违法新增建设，按规则集的统计口径：临时用地、设施农用地、农村道路和非粮化不属于新增建设），扣减类型按规则集处理；三条考核线（初始、整改后、比例）逐条给出数值和依据。按规则集的指标对镇街进行约谈排序。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="51"/>
        <source>Farmland taken by new construction (mu)</source>
        <translation>新增建设用地占用耕地（亩）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="53"/>
        <source>Farmland taken by legal construction (mu)</source>
        <translation>合法新增建设占用耕地（亩）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="55"/>
        <source>Farmland taken by illegal construction (mu)</source>
        <translation>违法新增建设占用耕地（亩）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="57"/>
        <source>Non-grain change of farmland (mu)</source>
        <translation>耕地非粮化面积（亩）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/town_statistics.py" line="58"/>
        <source>Figures as at</source>
        <translation>数据截至</translation>
    </message>
</context>
<context>
    <name>Workbench</name>
    <message>
        <location filename="../ui/workbench.py" line="51"/>
        <source>WPZF</source>
        <translation>卫片执法</translation>
    </message>
    <message>
        <location filename="../ui/workbench.py" line="51"/>
        <source>Open a workspace to list its patches.</source>
        <translation>请先打开工作空间以列出其图斑。</translation>
    </message>
</context>
<context>
    <name>WpzfAlgorithm</name>
    <message>
        <location filename="../processing/algorithms/base.py" line="26"/>
        <source>Workspace</source>
        <translation>工作空间</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="27"/>
        <source>Office comparison</source>
        <translation>内业比对</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="28"/>
        <source>Legality judgement</source>
        <translation>合法性判定</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="95"/>
        <source>Batch (empty: all)</source>
        <translation>批次（留空：全部）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="97"/>
        <source>Rule set (empty: the workspace&apos;s)</source>
        <translation>规则集（留空：工作空间的规则集）</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="106"/>
        <source>Patches</source>
        <translation>图斑</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="112"/>
        <source>Patch ID field</source>
        <translation>图斑编号字段</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="29"/>
        <source>Reporting and statistics</source>
        <translation>上报与统计</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="30"/>
        <source>Case files</source>
        <translation>组卷归档</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="177"/>
        <source>Give either WORKSPACE or CONNECTION (with SCHEMA), not both.</source>
        <translation>请只填写 WORKSPACE 或 CONNECTION（及 SCHEMA）其中之一，不能同时填写。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/base.py" line="180"/>
        <source>Give the workspace: a .gpkg file or postgres:&lt;connection&gt;[/&lt;schema&gt;] as WORKSPACE, or a PostgreSQL CONNECTION and its SCHEMA.</source>
        <translation>请指定工作空间：WORKSPACE 填写 .gpkg 文件或 postgres:&lt;连接&gt;[/&lt;模式&gt;]，或者选择 PostgreSQL 连接 CONNECTION 及其模式 SCHEMA。</translation>
    </message>
</context>
<context>
    <name>WpzfPlugin</name>
    <message>
        <location filename="../plugin.py" line="52"/>
        <source>WPZF</source>
        <translation>卫片执法</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="68"/>
        <source>shapely {version} runs on GEOS {ours}, QGIS on GEOS {qgis}: overlay areas may be wrong. Install a shapely built on QGIS&apos;s GEOS, e.g. {hint}</source>
        <translation>shapely {version} 使用 GEOS {ours}，而 QGIS 使用 GEOS {qgis}：叠加分析面积可能出错。请安装基于 QGIS 所用 GEOS 的 shapely，例如 {hint}</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="57"/>
        <source>Optional Python package {package} is not installed; install it with: {command}</source>
        <translation>未安装可选的 Python 软件包 {package}，安装命令：{command}</translation>
    </message>
</context>
<context>
    <name>WpzfProvider</name>
    <message>
        <location filename="../processing/provider.py" line="44"/>
        <source>Satellite patch enforcement (WPZF)</source>
        <translation>卫片执法</translation>
    </message>
</context>
<context>
    <name>domain</name>
    <message>
        <location filename="../domain/intake/encoding.py" line="210"/>
        <source>No attribute file (.dbf) next to {path}.</source>
        <translation>{path} 旁没有属性表文件（.dbf）。</translation>
    </message>
    <message>
        <location filename="../domain/intake/loader.py" line="107"/>
        <source>Already in batch {batch}; the stored patch was not overwritten.</source>
        <translation>批次 {batch} 中已有该图斑；未覆盖已存储的图斑。</translation>
    </message>
    <message>
        <location filename="../domain/intake/loader.py" line="113"/>
        <source>Re-issued: already delivered in batch {other}; imported as a new record, the earlier one is unchanged.</source>
        <translation>重复下发：该编号已在批次 {other} 下发；作为新记录导入，原记录未改动。</translation>
    </message>
    <message>
        <location filename="../domain/intake/loader.py" line="127"/>
        <source>Import canceled; the workspace is unchanged.</source>
        <translation>导入已取消；工作空间未改动。</translation>
    </message>
    <message>
        <location filename="../domain/intake/loader.py" line="155"/>
        <source>Batch {batch} is locked; no patches can be imported into it.</source>
        <translation>批次 {batch} 已锁定，不能再导入图斑。</translation>
    </message>
    <message>
        <location filename="../domain/intake/loader.py" line="159"/>
        <source>Batch {batch} was received on {known}, not on RECEIVED={received}.</source>
        <translation>批次 {batch} 的接收日期已登记为 {known}，与 RECEIVED={received} 不一致。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="90"/>
        <source>The layer has no ID field {field!r}. Its fields are: {fields}.</source>
        <translation>图层中没有编号字段 {field!r}。现有字段：{fields}。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="131"/>
        <source>Field {field} repeats {count} IDs within the file: {ids}. Nothing was imported.</source>
        <translation>字段 {field} 在文件内有 {count} 个重复编号：{ids}。未导入任何图斑。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="228"/>
        <source>Field {field} value {value!r} is not a number; kept as delivered in YSSX.</source>
        <translation>字段 {field} 的值 {value!r} 不是数值；原值保留在原始属性 YSSX 中。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="243"/>
        <source>Feature {index} has an empty ID field {field}.</source>
        <translation>第 {index} 个要素的编号字段 {field} 为空。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="248"/>
        <source>Null geometry.</source>
        <translation>几何为空（NULL）。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="253"/>
        <source>Empty geometry.</source>
        <translation>几何为空（无坐标）。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="257"/>
        <source>Geometry type {type} is not a polygon.</source>
        <translation>几何类型 {type} 不是面。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="174"/>
        <source>Repaired invalid geometry ({reason}); area after repair {area:.2f} m².</source>
        <translation>已修复无效几何（{reason}）；修复后面积 {area:.2f} 平方米。</translation>
    </message>
    <message>
        <location filename="../domain/intake/service.py" line="48"/>
        <source>The batch name BATCH is empty.</source>
        <translation>批次名称 BATCH 为空。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="34"/>
        <source>Received date RECEIVED must be yyyy-mm-dd, got {value!r}.</source>
        <translation>接收日期 RECEIVED 必须是 yyyy-mm-dd 格式，实际为 {value!r}。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="74"/>
        <source>Workspace {path} already exists; it is never overwritten.</source>
        <translation>工作空间 {path} 已存在，不会被覆盖。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="111"/>
        <source>Workspace file not found: {path}</source>
        <translation>找不到工作空间文件：{path}</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="123"/>
        <source>{path} is not a WPZF workspace (no wpzf_schema_version table).</source>
        <translation>{path} 不是 WPZF 工作空间（没有 wpzf_schema_version 表）。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="129"/>
        <source>Workspace {path} has schema version {found}; this plugin needs {needed}. Update the plugin.</source>
        <translation>工作空间 {path} 的结构版本为 {found}，本插件需要 {needed}。请更新插件。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/batches.py" line="49"/>
        <source>Unlocking batch {batch} needs a reason.</source>
        <translation>解锁批次 {batch} 必须填写原因。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/batches.py" line="55"/>
        <source>Unknown stage {stage!r}; stages are {stages}.</source>
        <translation>未知阶段 {stage!r}；可用阶段：{stages}。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/judgement.py" line="60"/>
        <source>The workspace has no batch {batch!r}.</source>
        <translation>工作空间中没有批次 {batch!r}。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/store.py" line="205"/>
        <source>The workspace records no CRS (wpzf_meta.crs_epsg).</source>
        <translation>工作空间未记录坐标系（wpzf_meta.crs_epsg）。</translation>
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
        <location filename="../domain/overlay/farmland.py" line="148"/>
        <source>Land-use feature {number}: deduction coefficient {value!r} is not a number.</source>
        <translation>地类图斑第 {number} 个要素：扣除系数 {value!r} 不是数值。</translation>
    </message>
    <message>
        <location filename="../domain/overlay/farmland.py" line="133"/>
        <source>Land-use feature {number}: deduction coefficient {value} is outside 0–1.</source>
        <translation>地类图斑第 {number} 个要素：扣除系数 {value} 不在 0–1 之间。</translation>
    </message>
    <message>
        <location filename="../domain/rules/prejudge.py" line="86"/>
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
        <location filename="../domain/workbench/imagery.py" line="82"/>
        <source>Unknown rule set {name!r}; available: {names}.</source>
        <translation>未知的规则集 {name!r}；可用的有：{names}。</translation>
    </message>
    <message>
        <location filename="../domain/casework/state.py" line="40"/>
        <source>Batch {batch} is locked at stage {stage} (locked {at} by {who}); its records cannot be changed. Last unlock reason: {reason}.</source>
        <translation>批次 {batch} 已在“{stage}”阶段锁定（{who} 于 {at} 锁定），其记录不能修改。上次解锁原因：{reason}。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/store.py" line="275"/>
        <source>The workspace has no patch with fid {fid}.</source>
        <translation>工作空间中没有 fid 为 {fid} 的图斑。</translation>
    </message>
    <message>
        <location filename="../domain/casework/refusals.py" line="38"/>
        <source>Patch {jcbh} (fid {fid}) was not saved: batch {batch} is locked at stage {stage} (locked {at} by {who}; last unlock reason: {reason}). Nothing was changed.</source>
        <translation>图斑 {jcbh}（fid {fid}）未保存：批次 {batch} 已在“{stage}”阶段锁定（{who} 于 {at} 锁定；上次解锁原因：{reason}）。未做任何修改。</translation>
    </message>
    <message>
        <location filename="../domain/casework/refusals.py" line="66"/>
        <source>Patch fid {fid} was not saved: its batch is locked. Nothing was changed.</source>
        <translation>图斑（fid {fid}）未保存：所在批次已锁定。未做任何修改。</translation>
    </message>
    <message>
        <location filename="../domain/casework/save.py" line="177"/>
        <source>Patch {jcbh} was not saved: {errors}</source>
        <translation>图斑 {jcbh} 未保存：{errors}</translation>
    </message>
    <message>
        <location filename="../domain/casework/save.py" line="222"/>
        <source>Patch {jcbh} has no pre-judgement suggestion; run the pre-judgement first.</source>
        <translation>图斑 {jcbh} 没有预判建议，请先运行合法性预判。</translation>
    </message>
    <message>
        <location filename="../domain/casework/save.py" line="226"/>
        <source>The suggestion for patch {jcbh} ({category}) is provisional, not a decision: judge the patch after checking it.</source>
        <translation>图斑 {jcbh} 的预判建议（{category}）只是预判用语，不是判定结论：请核实后再判定。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="101"/>
        <source>{label} ({field}) is required.</source>
        <translation>{label}（{field}）必须填写。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="94"/>
        <source>{label} ({field}) must be a date yyyy-mm-dd, got {value!r}.</source>
        <translation>{label}（{field}）应为 yyyy-mm-dd 格式的日期，填写的是 {value!r}。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="106"/>
        <source>{label} ({field}) cannot be negative, got {value}.</source>
        <translation>{label}（{field}）不能为负数，填写的是 {value}。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="123"/>
        <source>{label} ({field}) {value!r} is not a category of rule set {ruleset}; choose one of {choices}.</source>
        <translation>{label}（{field}）{value!r} 不是规则集 {ruleset} 的判定类型；请从以下取值中选择：{choices}。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="145"/>
        <source>{label} ({field}) {value!r} is a provisional pre-judgement term, not a decision; choose one of {choices}.</source>
        <translation>{label}（{field}）{value!r} 只是预判用语，不是判定结论；请从以下取值中选择：{choices}。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="148"/>
        <source>{label} ({field}) {value!r} is not a situation of {category}; choose one of {choices}.</source>
        <translation>{label}（{field}）{value!r} 不是“{category}”的具体情形；请从以下取值中选择：{choices}。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="158"/>
        <source>{label} ({field}) {value!r} is not a violation type of rule set {ruleset}.</source>
        <translation>{label}（{field}）{value!r} 不是规则集 {ruleset} 的违法类型。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="161"/>
        <source>{label} ({field}) is empty: say which kind of violation this is.</source>
        <translation>{label}（{field}）未填写：请选择违法类型。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="164"/>
        <source>{label} ({field}) is empty: enter the illegal area in mu.</source>
        <translation>{label}（{field}）未填写：请填写违法面积（亩）。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="171"/>
        <source>{label} ({field}) applies only to patches judged {illegal}.</source>
        <translation>{label}（{field}）只适用于判定为“{illegal}”的图斑。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="128"/>
        <source>{label} ({field}) {value!r} is not a deduction type of rule set {ruleset}; choose one of {choices}.</source>
        <translation>{label}（{field}）{value!r} 不是规则集 {ruleset} 的扣减类型；请从以下取值中选择：{choices}。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="131"/>
        <source>{label} ({field}) is empty: a legal patch needs its approval number or uploaded evidence.</source>
        <translation>{label}（{field}）未填写：合法图斑需要批准文号或上传佐证资料。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="259"/>
        <source>{label} ({field}) {value!r} is not a department of the work plan; choose one of {choices}.</source>
        <translation>{label}（{field}）{value!r} 不是工作方案中的部门；请从以下部门中选择：{choices}。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="292"/>
        <source>{label} ({field}) is not ticked, but case details are filled in.</source>
        <translation>未勾选{label}（{field}），但填写了立案信息。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="371"/>
        <source>{label} ({field}) {value} lies in the future.</source>
        <translation>{label}（{field}）{value} 晚于今天。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="461"/>
        <source>{label} ({field}) {value!r} is not a rectification method of rule set {ruleset}; choose one of {choices}.</source>
        <translation>{label}（{field}）{value!r} 不是规则集 {ruleset} 的整改方式；请从以下取值中选择：{choices}。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="465"/>
        <source>{label} ({field}) is required when an area was approved later.</source>
        <translation>有补办面积时必须填写{label}（{field}）。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="468"/>
        <source>Rectification is recorded for patches judged {illegal}; this patch is judged {value!r}.</source>
        <translation>整改只针对判定为“{illegal}”的图斑；本图斑判定为 {value!r}。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="472"/>
        <source>{label} ({field}) of the patch is empty: record it in the decision before rectification.</source>
        <translation>图斑的{label}（{field}）未填写：请先在合法性判定中填写，再登记整改。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="476"/>
        <source>{label} + {approved} ({done:.2f} mu) exceeds {total_label} {total:.2f} mu.</source>
        <translation>{label} + {approved}（{done:.2f} 亩）超过{total_label} {total:.2f} 亩。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="479"/>
        <source>{label} ({field}) {value:.2f} mu should be {expected:.2f} mu (illegal area {total:.2f} − demolished − approved later).</source>
        <translation>{label}（{field}）{value:.2f} 亩应为 {expected:.2f} 亩（违法面积 {total:.2f} − 拆除 − 补办）。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="484"/>
        <source>{label} ({field}) is empty although nothing remains to rectify.</source>
        <translation>已无剩余未整改面积，但{label}（{field}）未填写。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="486"/>
        <source>{label} ({field}) is set but {remaining:.2f} mu remain unrectified.</source>
        <translation>已填写{label}（{field}），但仍有 {remaining:.2f} 亩未整改。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="494"/>
        <source>Quality check {rule}: {text}</source>
        <translation>质检 {rule}：{text}</translation>
    </message>
    <message>
        <location filename="../domain/evidence/exif.py" line="106"/>
        <source>Reading photo EXIF needs Pillow; install it with: python -m pip install pillow</source>
        <translation>读取照片 EXIF 需要 Pillow，请安装：python -m pip install pillow</translation>
    </message>
    <message>
        <location filename="../domain/evidence/exif.py" line="123"/>
        <source>Cannot read the image {path}: {reason}</source>
        <translation>无法读取图像 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/evidence/matching.py" line="118"/>
        <source>The photo records no GPS position.</source>
        <translation>照片未记录 GPS 位置。</translation>
    </message>
    <message>
        <location filename="../domain/evidence/matching.py" line="136"/>
        <source>The workspace has no patches to match.</source>
        <translation>工作空间中没有可匹配的图斑。</translation>
    </message>
    <message>
        <location filename="../domain/evidence/matching.py" line="156"/>
        <source>Nearest patch {jcbh} is {distance:.1f} m away, beyond {limit:g} m.</source>
        <translation>最近的图斑 {jcbh} 距离 {distance:.1f} 米，超出 {limit:g} 米。</translation>
    </message>
    <message>
        <location filename="../domain/evidence/paths.py" line="85"/>
        <source>Evidence path {path!r} is not a plain path inside the evidence folder.</source>
        <translation>佐证资料路径 {path!r} 不是佐证资料文件夹内的普通路径。</translation>
    </message>
    <message>
        <location filename="../domain/evidence/photo_import.py" line="75"/>
        <source>Photo folder not found: {path}</source>
        <translation>找不到照片文件夹：{path}</translation>
    </message>
    <message>
        <location filename="../domain/evidence/store.py" line="214"/>
        <source>No free file name for {name} in {folder}.</source>
        <translation>在 {folder} 中无法为 {name} 找到可用的文件名。</translation>
    </message>
    <message>
        <location filename="../domain/evidence/store.py" line="221"/>
        <source>Evidence kind ZLLX must be one of {kinds}, got {kind!r}.</source>
        <translation>资料类型 ZLLX 必须是 {kinds} 之一，实际为 {kind!r}。</translation>
    </message>
    <message>
        <location filename="../domain/evidence/store.py" line="224"/>
        <source>Evidence file not found: {path}</source>
        <translation>找不到佐证资料文件：{path}</translation>
    </message>
    <message>
        <location filename="../domain/evidence/store.py" line="231"/>
        <source>Cannot read evidence file {path}: {reason}</source>
        <translation>无法读取佐证资料文件 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/evidence/store.py" line="294"/>
        <source>Evidence file {path} changed while it was copied; try again.</source>
        <translation>佐证资料文件 {path} 在复制过程中被修改，请重试。</translation>
    </message>
    <message>
        <location filename="../domain/evidence/store.py" line="254"/>
        <source>Evidence file {path} was not added: {reason}</source>
        <translation>佐证资料文件 {path} 未能添加：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/reporting/feedback.py" line="89"/>
        <source>The problem list holds no patch IDs.</source>
        <translation>问题清单中没有图斑编号。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/periods.py" line="57"/>
        <source>Period {value!r} is not a month (2022-05), a quarter (2022-Q2) or a year (2022).</source>
        <translation>统计期间 {value!r} 不是月份（2022-05）、季度（2022-Q2）或年份（2022）。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/sampling.py" line="97"/>
        <source>Sample size must be at least 1, got {size}.</source>
        <translation>样本量至少为 1，现为 {size}。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/snapshot.py" line="210"/>
        <source>The workspace has no snapshot {id}.</source>
        <translation>工作空间中没有编号为 {id} 的快照。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/stages.py" line="71"/>
        <source>Batch {batch} is locked (stage {stage}); its data can no longer change. Unlock it with a reason first.</source>
        <translation>批次 {batch} 已锁定（阶段：{stage}），数据不能再修改。请先填写原因解锁。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/stages.py" line="76"/>
        <source>Batch {batch} is at stage {stage} and cannot move to {target}; allowed next: {allowed}.</source>
        <translation>批次 {batch} 处于“{stage}”阶段，不能变更为“{target}”；下一步只能是：{allowed}。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/stages.py" line="95"/>
        <source>Batch {batch} is at stage {stage}; only a batch at 核查中 (for 一上) or 一下 (for 二上) can be submitted.</source>
        <translation>批次 {batch} 处于“{stage}”阶段；只有“核查中”（提交一上）或“一下”（提交二上）的批次可以提交。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/stages.py" line="106"/>
        <source>Batch {batch} cannot be submitted as {target}: the quality check found {count} errors (for example {first}). Correct them and submit again.</source>
        <translation>批次 {batch} 不能提交为“{target}”：质检发现 {count} 个错误（例如 {first}）。请更正后再提交。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/stages.py" line="136"/>
        <source>Batch {batch} is not locked (stage {stage}); nothing to unlock.</source>
        <translation>批次 {batch} 未锁定（阶段：{stage}），无需解锁。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/statistics.py" line="482"/>
        <source>reaches</source>
        <translation>达到</translation>
    </message>
    <message>
        <location filename="../domain/reporting/statistics.py" line="482"/>
        <source>stays below</source>
        <translation>未达到</translation>
    </message>
    <message>
        <location filename="../domain/reporting/tables.py" line="72"/>
        <source>File not found: {path}</source>
        <translation>找不到文件：{path}</translation>
    </message>
    <message>
        <location filename="../domain/reporting/tables.py" line="82"/>
        <source>{path} is an old Excel 97–2003 file; open it in Excel or WPS and save it as .xlsx.</source>
        <translation>{path} 是旧版 Excel 97–2003 文件，请用 Excel 或 WPS 打开后另存为 .xlsx。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/tables.py" line="108"/>
        <source>{path} is not a readable .xlsx workbook: {error}</source>
        <translation>{path} 不是可读取的 .xlsx 工作簿：{error}</translation>
    </message>
    <message>
        <location filename="../domain/reporting/tables.py" line="198"/>
        <source>{path}: unknown text encoding.</source>
        <translation>{path}：无法识别文字编码。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/tables.py" line="243"/>
        <source>{path}: no header row names the columns {columns} within the first {rows} rows.</source>
        <translation>{path}：前 {rows} 行中没有包含 {columns} 列的表头行。</translation>
    </message>
    <message>
        <location filename="../domain/workbench/status.py" line="25"/>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location filename="../domain/workbench/status.py" line="26"/>
        <source>Returned by the city</source>
        <translation>一下退回</translation>
    </message>
    <message>
        <location filename="../domain/workbench/status.py" line="27"/>
        <source>Quality-check errors</source>
        <translation>有质检错误</translation>
    </message>
    <message>
        <location filename="../domain/workbench/status.py" line="28"/>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <location filename="../domain/workbench/status.py" line="29"/>
        <source>Due within 3 days</source>
        <translation>3日内到期</translation>
    </message>
    <message>
        <location filename="../domain/workbench/status.py" line="30"/>
        <source>Decided</source>
        <translation>已判定</translation>
    </message>
    <message>
        <location filename="../domain/workbench/status.py" line="31"/>
        <source>Awaiting decision</source>
        <translation>待判定</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/migrate.py" line="99"/>
        <source>Copying table {table} to PostGIS failed: {reason}</source>
        <translation>复制表 {table} 到 PostGIS 失败：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/migrate.py" line="129"/>
        <source>Evidence file {path} is missing; nothing was copied.</source>
        <translation>佐证文件 {path} 不存在；未复制任何内容。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/migrate.py" line="134"/>
        <source>Evidence file {path} does not match its recorded SHA-256 {sha}; nothing was copied.</source>
        <translation>佐证文件 {path} 与记录的 SHA-256 {sha} 不符；未复制任何内容。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/migrate.py" line="286"/>
        <source>The server holds no evidence file with SHA-256 {sha} ({path}); nothing was copied.</source>
        <translation>服务器上没有 SHA-256 为 {sha} 的佐证文件（{path}）；未复制任何内容。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/migrate.py" line="292"/>
        <source>Evidence file {path} already exists with other content; it is never overwritten.</source>
        <translation>佐证文件 {path} 已存在且内容不同；不会覆盖。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/verify.py" line="177"/>
        <source>The copy does not verify: table {table} has {source} rows (SHA-256 {source_sha}) in the source and {target} rows (SHA-256 {target_sha}) in the copy; nothing was committed.</source>
        <translation>复制结果校验不一致：表 {table} 源端 {source} 行（SHA-256 {source_sha}），副本 {target} 行（SHA-256 {target_sha}）；未提交任何内容。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/overlay_sql_terms.py" line="129"/>
        <source>Invalid table or column name {name!r}.</source>
        <translation>无效的表名或字段名 {name!r}。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/overlay_sql.py" line="105"/>
        <source>Unknown area method {method!r}; use {methods}.</source>
        <translation>未知的面积计算方法 {method!r}，可用：{methods}。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/overlay_sql.py" line="379"/>
        <source>The farmland overlay in the database failed: {reason}</source>
        <translation>数据库内的耕地叠加分析失败：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/roles.py" line="64"/>
        <source>Unknown role {role!r}; roles are {roles}.</source>
        <translation>未知角色 {role!r}；可用角色：{roles}。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/roles.py" line="304"/>
        <source>Town code {code!r} of user {user} is not an XZQDM (digits only).</source>
        <translation>用户 {user} 的镇街代码 {code!r} 不是行政区代码（只能是数字）。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/store.py" line="45"/>
        <source>Cannot connect to PostgreSQL {target}: {reason}</source>
        <translation>无法连接 PostgreSQL {target}：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/store.py" line="55"/>
        <source>Schema name {name!r} must be lower-case letters, digits and _ , starting with a letter.</source>
        <translation>模式名 {name!r} 只能由小写字母、数字和下划线组成，并以字母开头。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/store.py" line="260"/>
        <source>Patch {fid}: field {field} cannot be edited here.</source>
        <translation>图斑 {fid}：字段 {field} 不能在此修改。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/store.py" line="280"/>
        <source>Patch {jcbh} was saved by {who} at {when} (version {stored}) after you loaded version {expected}; nothing was overwritten. {detail}. Reload the patch and apply your change again.</source>
        <translation>图斑 {jcbh} 在您读取版本 {expected} 之后已由 {who} 于 {when} 保存（版本 {stored}）；未覆盖任何内容。{detail}。请重新加载该图斑后再修改。</translation>
    </message>
    <message>
        <location filename="../adapters/workspaces.py" line="68"/>
        <source>WORKSPACE is empty: give a .gpkg file or postgres:&lt;connection&gt;[/&lt;schema&gt;].</source>
        <translation>工作空间 WORKSPACE 为空：请给出 .gpkg 文件或 postgres:&lt;连接名&gt;[/&lt;模式&gt;]。</translation>
    </message>
    <message>
        <location filename="../adapters/workspaces.py" line="75"/>
        <source>WORKSPACE {text!r} names no connection; write postgres:&lt;connection&gt;[/&lt;schema&gt;].</source>
        <translation>工作空间 {text!r} 没有给出连接名；请写作 postgres:&lt;连接名&gt;[/&lt;模式&gt;]。</translation>
    </message>
    <message>
        <location filename="../adapters/workspaces.py" line="235"/>
        <source>Cannot open workspace {workspace}: {reason}</source>
        <translation>无法打开工作空间 {workspace}：{reason}</translation>
    </message>
    <message>
        <location filename="../ui/forms/base.py" line="72"/>
        <source>{label} ({field}) must be a number, got {value!r}.</source>
        <translation>{label}（{field}）应为数字，填写的是 {value!r}。</translation>
    </message>
    <message>
        <location filename="../domain/casework/refusals.py" line="84"/>
        <source>Patch {jcbh} (fid {fid}) was not saved: the database login {login} has no right to change it ({reason}). Nothing was changed.</source>
        <translation>图斑 {jcbh}（fid {fid}）未保存：数据库账号 {login} 无权修改该图斑（{reason}）。未做任何修改。</translation>
    </message>
    <message>
        <location filename="../domain/casework/refusals.py" line="86"/>
        <source>Patch {jcbh} (fid {fid}) in town {town} was not saved: technician {login} may change only the patches of the towns assigned to them ({towns}). Nothing was changed.</source>
        <translation>图斑 {jcbh}（fid {fid}，镇街 {town}）未保存：技术人员 {login} 只能修改分配给其的镇街（{towns}）的图斑。未做任何修改。</translation>
    </message>
    <message>
        <location filename="../domain/casework/refusals.py" line="160"/>
        <source>{label} {field}: yours {mine}, stored {stored}</source>
        <translation>{label} {field}：您填写 {mine}，库中为 {stored}</translation>
    </message>
    <message>
        <location filename="../domain/casework/refusals.py" line="163"/>
        <source>no field differs from the stored values</source>
        <translation>各字段与库中现值相同</translation>
    </message>
    <message>
        <location filename="../domain/casework/refusals.py" line="164"/>
        <source>Patch {jcbh} (fid {fid}) was not saved: {who} saved it at {when}, after you opened it; nothing was written. {fields}. Open the patch again to see the stored values, then enter your change anew.</source>
        <translation>图斑 {jcbh}（fid {fid}）未保存：{who} 在您打开之后于 {when} 保存了该图斑，本次未写入任何内容。{fields}。请重新打开该图斑查看库中现值，再重新填写您的修改。</translation>
    </message>
    <message>
        <location filename="../domain/casework/shared_evidence.py" line="88"/>
        <source>The evidence file {sha} is not stored on the server.</source>
        <translation>服务器上没有保存佐证文件 {sha}。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/overlay_sql.py" line="141"/>
        <source>SRID {srid} is not known to the database.</source>
        <translation>数据库中没有 SRID {srid}。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/overlay_sql.py" line="144"/>
        <source>Planar areas need a projected working CRS; SRID {srid} is geographic.</source>
        <translation>平面面积需要投影坐标系；SRID {srid} 是地理坐标系。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/postgis/overlay_sql.py" line="193"/>
        <source>Land-use polygon {key} of {table}: deduction coefficient {value} is outside 0–1.</source>
        <translation>{table} 中的地类图斑 {key}：扣除系数 {value} 超出 0–1 范围。</translation>
    </message>
    <message>
        <location filename="../domain/casework/progress.py" line="107"/>
        <source>The date {value!r} is not a date yyyy-mm-dd.</source>
        <translation>日期 {value!r} 不是 yyyy-mm-dd 格式的日期。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="232"/>
        <source>{label} ({field}) {value:.2f} mu is larger than {limit_label} ({limit_field}) {limit:.2f} mu.</source>
        <translation>{label}（{field}）{value:.2f} 亩大于{limit_label}（{limit_field}）{limit:.2f} 亩。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="294"/>
        <source>{label} ({field}) {value} is filled in, but the case was not filed: 结案 needs 立案 (tick SFLA and enter LASJ and AJBH).</source>
        <translation>已填写{label}（{field}）{value}，但未立案：结案须先立案（勾选是否立案并填写立案时间和案件编号）。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="297"/>
        <source>{label} ({field}) {value} is before {other_label} ({other_field}) {other}: a case is closed after it was filed.</source>
        <translation>{label}（{field}）{value} 早于{other_label}（{other_field}）{other}：结案应在立案之后。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="300"/>
        <source>{label} ({field}) {value} is after {other_label} ({other_field}) {other}: a record states the case as it stood on its date.</source>
        <translation>{label}（{field}）{value} 晚于{other_label}（{other_field}）{other}：每条记录表示案件在记录日期的状态。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="358"/>
        <source>{label} ({field}) {value} is before {previous}, the date of the patch&apos;s latest case record: progress is recorded in date order.</source>
        <translation>{label}（{field}）{value} 早于该图斑最近一条立案查处记录的日期 {previous}：进展须按日期先后记录。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="363"/>
        <source>{label} ({field}) is empty although the record of {date} has it: each record states the whole case as at its date.</source>
        <translation>{label}（{field}）为空，但 {date} 的记录中已填写：每条记录表示案件在记录日期的完整状态。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="417"/>
        <source>{other_label} ({other_field}) {other:.2f} mu + {label} ({field}) {value:.2f} mu = {sum:.2f} mu is larger than {limit_label} ({limit_field}) {limit:.2f} mu.</source>
        <translation>{other_label}（{other_field}）{other:.2f} 亩 + {label}（{field}）{value:.2f} 亩 = {sum:.2f} 亩，大于{limit_label}（{limit_field}）{limit:.2f} 亩。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="422"/>
        <source>{label} ({field}) is empty although {approved} {area:.2f} mu was approved later: none of it counts as rectified farmland.</source>
        <translation>{label}（{field}）为空，而{approved}为 {area:.2f} 亩：其中没有任何面积计为已整改耕地。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="438"/>
        <source>{label} ({field}) {value} is before {previous}, the date of the patch&apos;s latest rectification record: progress is recorded in date order.</source>
        <translation>{label}（{field}）{value} 早于该图斑最近一条整改记录的日期 {previous}：进展须按日期先后记录。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="443"/>
        <source>{label} ({field}) {value:.2f} mu is less than the {previous:.2f} mu recorded on {date}: each record states the cumulative progress.</source>
        <translation>{label}（{field}）{value:.2f} 亩小于 {date} 记录的 {previous:.2f} 亩：每条记录填写的是累计进展。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/periods.py" line="71"/>
        <source>Date {value!r} is not a date such as 2022-12-31.</source>
        <translation>{value!r} 不是日期（如 2022-12-31）。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/statistics.py" line="444"/>
        <source>Initial illegal farmland occupation as at {as_of}: {value:.2f} mu (of {total:.2f} mu illegal farmland, {deducted:.2f} mu deducted by type; {non_grain:.2f} mu non-grain change reported apart): {verdict} the deduction line of {op} {limit:g} mu.</source>
        <translation>截至 {as_of} 初始违法占用耕地 {value:.2f} 亩（违法占耕共 {total:.2f} 亩，按扣减类型扣减 {deducted:.2f} 亩；非粮化 {non_grain:.2f} 亩另行统计）：{verdict}扣分线（{op} {limit:g} 亩）。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/statistics.py" line="464"/>
        <source>Illegal farmland ratio as at {as_of}: no farmland was taken by new construction in this period, so there is no ratio.</source>
        <translation>违法占耕比例（截至 {as_of}）：本期间没有新增建设用地占用耕地，无法计算比例。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/statistics.py" line="468"/>
        <source>Illegal farmland ratio as at {as_of}: {percent:.2f}% = {numerator:.2f} mu counted illegal farmland / {denominator:.2f} mu farmland taken by new construction ({legal:.2f} mu legal + {illegal:.2f} mu illegal construction; temporary land, facility agriculture, rural roads and non-grain change are not construction): {verdict} the accountability line of {op} {limit:.0%}.</source>
        <translation>违法占耕比例（截至 {as_of}）{percent:.2f}% = 计入问责的违法占用耕地 {numerator:.2f} 亩 ÷ 新增建设用地占用耕地 {denominator:.2f} 亩（合法新增建设 {legal:.2f} 亩 + 违法新增建设 {illegal:.2f} 亩；临时用地、设施农用地、农村道路和非粮化不属于新增建设）：{verdict}问责线（{op} {limit:.0%}）。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/divisions.py" line="111"/>
        <source>Boundary number {index} has no code.</source>
        <translation>第 {index} 条界线没有代码。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/divisions.py" line="113"/>
        <source>Boundary {code} has no geometry.</source>
        <translation>界线 {code} 没有几何。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/divisions.py" line="144"/>
        <source>No town boundaries were given; nothing was changed.</source>
        <translation>没有提供镇街界线；未做任何修改。</translation>
    </message>
    <message>
        <location filename="../domain/workspace/divisions.py" line="177"/>
        <source>The workspace holds no town boundaries; import them first (wpzf:importdivisions).</source>
        <translation>工作空间中没有镇街界线；请先导入（wpzf:importdivisions）。</translation>
    </message>
    <message>
        <location filename="../processing/division_io.py" line="69"/>
        <source>Canceled; the town boundaries and assignments are unchanged.</source>
        <translation>已取消；镇街界线和图斑归属均未改变。</translation>
    </message>
    <message>
        <location filename="../processing/division_io.py" line="50"/>
        <source>Layer {layer} has no field {field!r}. Its fields are: {fields}.</source>
        <translation>图层 {layer} 没有字段 {field!r}。其字段为：{fields}。</translation>
    </message>
    <message>
        <location filename="../processing/division_io.py" line="73"/>
        <source>Layer {layer}, feature {fid}: the code field {field} is empty; nothing was imported.</source>
        <translation>图层 {layer} 的要素 {fid}：代码字段 {field} 为空；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../processing/division_io.py" line="78"/>
        <source>Layer {layer}, feature {fid} ({code}) has no geometry; nothing was imported.</source>
        <translation>图层 {layer} 的要素 {fid}（{code}）没有几何；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../processing/division_io.py" line="90"/>
        <source>Layer {layer}, feature {fid} ({code}) is no polygon even after repair; nothing was imported.</source>
        <translation>图层 {layer} 的要素 {fid}（{code}）修复后仍不是面；未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="184"/>
        <source>{label} ({field}) {value!r} is not a violation period of rule set {ruleset}; choose one of {choices}.</source>
        <translation>{label}（{field}）{value!r} 不是规则集 {ruleset} 的违法时段；请从 {choices} 中选择。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="187"/>
        <source>{label} ({field}) must be a date yyyy-mm-dd, a month yyyy-mm or a year yyyy, got {value!r}.</source>
        <translation>{label}（{field}）应为日期 yyyy-mm-dd、月份 yyyy-mm 或年份 yyyy，实际为 {value!r}。</translation>
    </message>
    <message>
        <location filename="../domain/evidence/paths.py" line="106"/>
        <source>Evidence path {path!r} goes through the symbolic link {link}; evidence files must stay inside the evidence folder, so it is neither read nor written.</source>
        <translation>佐证资料路径 {path!r} 经过符号链接 {link}；佐证资料必须留在 evidence 文件夹内，因此既不读取也不写入。</translation>
    </message>
    <message>
        <location filename="../domain/evidence/store.py" line="248"/>
        <source>Evidence file {path} was not added to patch {jcbh} (field WJLJ): {reason}</source>
        <translation>佐证文件 {path} 未添加到图斑 {jcbh}（字段 WJLJ）：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="178"/>
        <source>Dropped the non-polygon parts of the {type} ({parts}); kept {kept} polygon(s), {area:.2f} m².</source>
        <translation>删除了 {type} 中不是面的部分（{parts}）；保留 {kept} 个面，{area:.2f} 平方米。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="186"/>
        <source>{first} {second}</source>
        <translation>{first}；{second}</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="193"/>
        <source>GeometryCollection without any polygon ({parts}): not a patch.</source>
        <translation>不含任何面的几何集合（{parts}）：不是图斑。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="198"/>
        <source>Zero-area sliver: {area:.4f} m² after repairing {reason} (less than {limit} m²).</source>
        <translation>面积为零的碎片：修复 {reason} 后面积 {area:.4f} 平方米（小于 {limit} 平方米）。</translation>
    </message>
    <message>
        <location filename="../domain/intake/patches.py" line="201"/>
        <source>Zero-area sliver: {area:.4f} m² (less than {limit} m²).</source>
        <translation>面积为零的碎片：{area:.4f} 平方米（小于 {limit} 平方米）。</translation>
    </message>
    <message>
        <location filename="../domain/intake/zones.py" line="96"/>
        <source>EPSG:{epsg} is not a CGCS2000 Gauss-Kruger zone, so the coordinates cannot be checked against it.</source>
        <translation>EPSG:{epsg} 不是 CGCS2000 高斯-克吕格分带，无法据此检查坐标。</translation>
    </message>
    <message>
        <location filename="../domain/intake/zones.py" line="100"/>
        <source>the file has no coordinates to check.</source>
        <translation>文件中没有可检查的坐标。</translation>
    </message>
    <message>
        <location filename="../domain/intake/zones.py" line="104"/>
        <source>its eastings {xmin:.0f}–{xmax:.0f} carry the false-easting prefix of zone {found}, not of the workspace's zone {zone} (EPSG:{epsg})</source>
        <translation>其横坐标 {xmin:.0f}–{xmax:.0f} 带的是第 {found} 带的带号前缀，而不是工作空间所在的第 {zone} 带（EPSG:{epsg}）</translation>
    </message>
    <message>
        <location filename="../domain/intake/zones.py" line="110"/>
        <source>its coordinates x {xmin:.0f}–{xmax:.0f}, y {ymin:.0f}–{ymax:.0f} do not lie in the workspace's zone {zone} (EPSG:{epsg})</source>
        <translation>其坐标 x {xmin:.0f}–{xmax:.0f}、y {ymin:.0f}–{ymax:.0f} 不在工作空间所在的第 {zone} 带内（EPSG:{epsg}）</translation>
    </message>
    <message>
        <location filename="../domain/overlay/quality.py" line="75"/>
        <source>Layer {layer} has no features: every coverage by it is 0 because of that, not because the patches are uncovered.</source>
        <translation>图层 {layer} 没有要素：它的覆盖面积全为 0 是因为图层为空，而不是图斑没有被覆盖。</translation>
    </message>
    <message>
        <location filename="../domain/overlay/quality.py" line="79"/>
        <source>Layer {layer} has {count} features but none inside the patches&apos; extent (another area or CRS?): every coverage by it is 0 because of that.</source>
        <translation>图层 {layer} 有 {count} 个要素，但都不在图斑范围内（区域或坐标系不对？）：它的覆盖面积因此全为 0。</translation>
    </message>
    <message>
        <location filename="../domain/overlay/quality.py" line="84"/>
        <source>Layer {layer}: {count} invalid polygons were repaired (make_valid) and used.</source>
        <translation>图层 {layer}：修复（make_valid）并使用了 {count} 个无效多边形。</translation>
    </message>
    <message>
        <location filename="../domain/overlay/quality.py" line="90"/>
        <source>Layer {layer}: {count} features have no area (no geometry, or none left after repair) and count nowhere: feature ids {ids}.</source>
        <translation>图层 {layer}：{count} 个要素没有面积（没有几何，或修复后没有剩余），不计入任何统计：要素编号 {ids}。</translation>
    </message>
    <message>
        <location filename="../domain/overlay/quality.py" line="96"/>
        <source>{count} land-use features without a class code cover {area:.2f} m² ({share:.2f} % of the patches' area); that area is in no land class.</source>
        <translation>{count} 个没有地类编码的三调图斑覆盖 {area:.2f} 平方米（占图斑面积的 {share:.2f}%）；这部分面积不计入任何地类。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/statistics.py" line="451"/>
        <source>Illegal farmland still occupied after rectification as at {as_of}: {value:.2f} mu = {initial:.2f} mu − {returned:.2f} mu re-cultivated or approved (demolition alone does not return farmland); rectified patches {rectified} of {illegal}; progress of {after_lock} patches recorded after the stage lock: {verdict} the deduction line of {op} {limit:g} mu.</source>
        <translation>截至 {as_of} 整改后仍违法占用耕地 {value:.2f} 亩 = 初始违法占耕 {initial:.2f} 亩 − 已复耕或补办的耕地 {returned:.2f} 亩（仅拆除不恢复耕地）；{illegal} 个违法图斑中已整改 {rectified} 个；{after_lock} 个图斑的整改进展在阶段锁定后录入：{verdict}扣分线（{op} {limit:g} 亩）。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/tables.py" line="75"/>
        <source>{path} is {size} bytes; a table file may hold at most {limit} bytes.</source>
        <translation>{path} 大小为 {size} 字节；表格文件最大 {limit} 字节。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/tables.py" line="96"/>
        <source>{path} unpacks to {size} bytes; a workbook may unpack to at most {limit} bytes (refused before reading it).</source>
        <translation>{path} 解压后为 {size} 字节；工作簿解压后最大 {limit} 字节（在读取之前即拒绝）。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/tables.py" line="120"/>
        <source>{path}: the workbook has no visible worksheet.</source>
        <translation>{path}：工作簿中没有可见的工作表。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/tables.py" line="130"/>
        <source>{path}, sheet {sheet}: more than {limit} rows; split the list.</source>
        <translation>{path}，工作表 {sheet}：超过 {limit} 行；请拆分清单。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/tables.py" line="137"/>
        <source>{path}, sheet {sheet}, row {row}: more than {limit} columns.</source>
        <translation>{path}，工作表 {sheet}，第 {row} 行：超过 {limit} 列。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/tables.py" line="174"/>
        <source>{path}, sheet {sheet}: {count} formula cells have no calculated value ({cells}); open the file in Excel or WPS, let it calculate and save it, then import it again.</source>
        <translation>{path}，工作表 {sheet}：{count} 个公式单元格没有计算结果（{cells}）；请用 Excel 或 WPS 打开该文件，计算并保存后重新导入。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/tables.py" line="209"/>
        <source>{path}: more than {limit} rows; split the list.</source>
        <translation>{path}：超过 {limit} 行；请拆分清单。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/tables.py" line="213"/>
        <source>{path}, row {row}: {error}</source>
        <translation>{path}，第 {row} 行：{error}</translation>
    </message>
    <message>
        <location filename="../domain/workspace/faults.py" line="65"/>
        <source>The disk holding workspace {path} is full; the change was rolled back and the workspace keeps its previous content. Free some disk space and try again.</source>
        <translation>工作空间 {path} 所在的磁盘已满；本次修改已回滚，工作空间保持原有内容。请腾出磁盘空间后重试。</translation>
    </message>
    <message>
        <location filename="../domain/intake/encoding.py" line="177"/>
        <source>The text in {file} is not clean UTF-8 or GBK: field {field} of feature {feature} would read as {garbled!r}{big5}. Fields affected: {fields}. Nothing was imported; give the file&apos;s encoding in the ENCODING parameter (for example CP950 for Big5).</source>
        <translation>{file} 中的文字不是规范的 UTF-8 或 GBK：要素 {feature} 的字段 {field} 会读成 {garbled!r}{big5}。涉及字段：{fields}。未导入任何内容；请在 ENCODING 参数中填写文件的编码（如 Big5 填 CP950）。</translation>
    </message>
    <message>
        <location filename="../domain/intake/zones.py" line="223"/>
        <source>Outside the workspace's zone: the centroid ({longitude:.3f}°E) is {km:.1f} km ({degrees:.2f}°) from the central meridian of EPSG:{epsg}; planar lengths and areas there are distorted more than the zone allows.</source>
        <translation>超出工作空间分带：图斑中心（东经 {longitude:.3f}°）距 EPSG:{epsg} 的中央经线 {km:.1f} 千米（{degrees:.2f}°）；该处平面长度和面积的变形超出分带允许范围。</translation>
    </message>
    <message>
        <location filename="../domain/intake/zones.py" line="231"/>
        <source>{count} patches lie {limit}° or more from the central meridian of the workspace CRS EPSG:{epsg}: {patches}. Nothing was imported; use a workspace in the patches' own zone (WORKSPACE_CRS).</source>
        <translation>{count} 个图斑距工作空间坐标系 EPSG:{epsg} 的中央经线 {limit}° 或以上：{patches}。未导入任何内容；请使用图斑所在分带的工作空间（WORKSPACE_CRS）。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/manifest.py" line="123"/>
        <source>The package manifest {path} has no {field}.</source>
        <translation>外业包清单 {path} 缺少 {field}。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/manifest.py" line="156"/>
        <source>The package manifest {path} is not valid JSON: {reason}</source>
        <translation>外业包清单 {path} 不是有效的 JSON：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/manifest.py" line="141"/>
        <source>{path} is not the manifest of a WPZF field package.</source>
        <translation>{path} 不是卫片执法外业包的清单。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/manifest.py" line="166"/>
        <source>The package has no readable manifest {path}: {reason}</source>
        <translation>外业包没有可读取的清单 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/package.py" line="80"/>
        <source>Package {path} was refused: its member {member} would be written outside the package folder.</source>
        <translation>外业包 {path} 被拒绝：其中的 {member} 会被写到外业包文件夹之外。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/package.py" line="93"/>
        <source>Package {path} cannot be read: {reason}</source>
        <translation>无法读取外业包 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/package.py" line="107"/>
        <source>{path} is not a WPZF field package: no {name} found.</source>
        <translation>{path} 不是卫片执法外业包：未找到 {name}。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/package.py" line="119"/>
        <source>Package not found: {path}</source>
        <translation>找不到外业包：{path}</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/package.py" line="150"/>
        <source>The package has no {name}.</source>
        <translation>外业包中没有 {name}。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/package.py" line="163"/>
        <source>{name} of the package is damaged: {reason}</source>
        <translation>外业包中的 {name} 已损坏：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/plan.py" line="163"/>
        <source>The package was exported from another workspace ({name}, id {theirs}); this workspace&apos;s id is {ours}. Nothing was imported.</source>
        <translation>该外业包导出自另一个工作空间（{name}，标识 {theirs}）；本工作空间的标识为 {ours}。未导入任何内容。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/plan.py" line="175"/>
        <source>The exported file is missing from the package.</source>
        <translation>外业包中缺少导出时的文件。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/plan.py" line="175"/>
        <source>The exported file was changed on the device (SHA-256 differs).</source>
        <translation>导出的文件在设备上被修改过（SHA-256 不同）。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/plan.py" line="186"/>
        <source>Office field {field} was changed in the field from {old!r} to {new!r}; not applied.</source>
        <translation>内业字段 {field} 在外业中由 {old!r} 改为 {new!r}；未应用。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/plan.py" line="199"/>
        <source>This patch was added in the field; patches come only from deliveries, not applied.</source>
        <translation>该图斑是外业中新增的；图斑只能来自下发数据，未应用。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/plan.py" line="242"/>
        <source>The patch is no longer in the workspace; its visits cannot be stored.</source>
        <translation>工作空间中已没有该图斑，其踏勘记录无法保存。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/plan.py" line="215"/>
        <source>The patch was changed in the office since the export (version {old} → {new}); the visit is still imported: check the decision against it.</source>
        <translation>导出后该图斑在内业中被修改过（版本 {old} → {new}）；踏勘记录仍已导入，请据此复核判定。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/plan.py" line="238"/>
        <source>Field {field}: {value!r} is not a patch of this package.</source>
        <translation>字段 {field}：{value!r} 不是本外业包中的图斑。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/plan.py" line="245"/>
        <source>Field {field}: {value!r} is not a date-time.</source>
        <translation>字段 {field}：{value!r} 不是日期时间。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/plan.py" line="248"/>
        <source>Field {field} (surveyor) is empty.</source>
        <translation>字段 {field}（调查人）为空。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/plan.py" line="256"/>
        <source>Photos named by the record are missing from the package: {photos}; the visit was not stored.</source>
        <translation>记录引用的照片在外业包中缺失：{photos}；该踏勘记录未保存。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/plan.py" line="264"/>
        <source>Field {field}: {value!r} is not one of the rule set&apos;s situations; stored as recorded.</source>
        <translation>字段 {field}：{value!r} 不是规则集中的具体情形；按记录原样保存。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/store.py" line="224"/>
        <source>Visit {key} was imported before; nothing added.</source>
        <translation>踏勘记录 {key} 以前已导入，未重复添加。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/selection.py" line="29"/>
        <source>The workspace has no identity (wpzf_meta.workspace_id): open it with this plugin version to upgrade it, then export the field package again.</source>
        <translation>工作空间没有标识（wpzf_meta.workspace_id）：请用本版本插件打开以升级，然后重新导出外业包。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/store.py" line="150"/>
        <source>Evidence {id}: taken {taken}, {distance} m from the patch.</source>
        <translation>佐证资料 {id}：拍摄于 {taken}，距图斑 {distance} 米。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/store.py" line="220"/>
        <source>The visit was not stored: {reason}</source>
        <translation>踏勘记录未保存：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/store.py" line="238"/>
        <source>Canceled; the visits stored so far are kept, running again adds only the missing ones.</source>
        <translation>已取消；已保存的踏勘记录保留，再次运行只添加缺少的记录。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/store.py" line="245"/>
        <source>Stored as field visit {id}.</source>
        <translation>已保存为踏勘记录 {id}。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/trends.py" line="212"/>
        <source>As at {as_of}, {delivered} patches were delivered this year, {decided} decided and {illegal} found illegal, occupying {farmland:.2f} mu of counted farmland; {rectified} are rectified and {after:.2f} mu of farmland is still illegally occupied.</source>
        <translation>截至 {as_of}，本年共下发图斑 {delivered} 个，已判定 {decided} 个，判定违法 {illegal} 个，计入的违法占用耕地 {farmland:.2f} 亩；已整改 {rectified} 个，仍违法占用耕地 {after:.2f} 亩。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/trends.py" line="222"/>
        <source>fell</source>
        <translation>减少</translation>
    </message>
    <message>
        <location filename="../domain/reporting/trends.py" line="224"/>
        <source>rose</source>
        <translation>增加</translation>
    </message>
    <message>
        <location filename="../domain/reporting/trends.py" line="225"/>
        <source>did not change</source>
        <translation>保持</translation>
    </message>
    <message>
        <location filename="../domain/reporting/trends.py" line="231"/>
        <source>Since {previous}: {delivered} patches delivered, {decided} decided, {illegal} found illegal and {rectified} rectified; farmland still illegally occupied {direction} from {before:.2f} mu to {after:.2f} mu.</source>
        <translation>{previous}以来：新增下发 {delivered} 个、判定 {decided} 个、违法 {illegal} 个、整改 {rectified} 个；整改后仍违法占用耕地由 {before:.2f} 亩{direction}至 {after:.2f} 亩。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/trends.py" line="246"/>
        <source>{town}: {illegal} illegal patches with {farmland:.2f} mu counted farmland, {after:.2f} mu still occupied after rectification; {rectified} of {illegal} rectified ({share:.0f}%). {interview}</source>
        <translation>{town}：违法图斑 {illegal} 个，计入违法占用耕地 {farmland:.2f} 亩，整改后仍占用 {after:.2f} 亩；已整改 {rectified}/{illegal} 个（{share:.0f}%）。{interview}</translation>
    </message>
    <message>
        <location filename="../domain/reporting/trends.py" line="246"/>
        <source>Proposed for an interview (约谈), rank {rank} of {count}.</source>
        <translation>综合排名第 {rank} 位（共 {count} 个），建议约谈。</translation>
    </message>
    <message>
        <location filename="../domain/workbench/map_classes.py" line="23"/>
        <source>Not decided</source>
        <translation>未判定</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/annual_summary.py" line="101"/>
        <source>Give the year of the summary (YEAR): the rule set names none.</source>
        <translation>请给出总结年度（YEAR）：规则集未指定年度。</translation>
    </message>
    <message>
        <location filename="../processing/algorithms/bulletin.py" line="89"/>
        <source>A bulletin needs a period: a month (2022-05), a quarter (2022-Q2) or a year (2022).</source>
        <translation>通报需要期间：月（2022-05）、季度（2022-Q2）或年度（2022）。</translation>
    </message>
    <message>
        <location filename="../domain/casework/review.py" line="307"/>
        <source>Review step {step!r} is not one of {steps}.</source>
        <translation>审核步骤 {step!r} 不是 {steps} 之一。</translation>
    </message>
    <message>
        <location filename="../domain/casework/review.py" line="239"/>
        <source>Patch {jcbh} has no decision yet (判定类型 PDLX): there is nothing to review.</source>
        <translation>图斑 {jcbh} 尚未判定（判定类型 PDLX）：没有可审核的内容。</translation>
    </message>
    <message>
        <location filename="../domain/casework/review.py" line="243"/>
        <source>Patch {jcbh} was sent back (退回) at {step} by {who} on {at}: {reason} It is reviewed again once the technician has corrected and saved the decision.</source>
        <translation>图斑 {jcbh} 已在{step}时由 {who} 于 {at} 退回：{reason} 技术人员改正并保存判定后重新审查。</translation>
    </message>
    <message>
        <location filename="../domain/casework/review.py" line="247"/>
        <source>Patch {jcbh}: {step} was already signed by {who} on {at}.</source>
        <translation>图斑 {jcbh}：{step}已由 {who} 于 {at} 签署。</translation>
    </message>
    <message>
        <location filename="../domain/casework/review.py" line="250"/>
        <source>Patch {jcbh} has not been reviewed (审核) yet: 审定 comes after 审核.</source>
        <translation>图斑 {jcbh} 尚未审核：审定须在审核之后。</translation>
    </message>
    <message>
        <location filename="../domain/casework/review.py" line="254"/>
        <source>Patch {jcbh}: {who} already signed {signed} of this chain; the same person may not sign two steps (层层审查).</source>
        <translation>图斑 {jcbh}：{who} 已签署本审查链的{signed}；同一人不得签署两个步骤（层层审查）。</translation>
    </message>
    <message>
        <location filename="../domain/casework/review.py" line="266"/>
        <source>On a shared workspace the login signs: {login} cannot sign as {name}.</source>
        <translation>共享工作空间以登录名签署：{login} 不能以 {name} 的名义签署。</translation>
    </message>
    <message>
        <location filename="../domain/casework/review.py" line="271"/>
        <source>{name} may not sign {step} in this workspace; it lists {names}.</source>
        <translation>本工作空间中 {name} 不能签署{step}；可签署的人员为 {names}。</translation>
    </message>
    <message>
        <location filename="../domain/casework/review.py" line="313"/>
        <source>Patch {jcbh}: sending back (退回) needs the reason in the opinion (审核意见 SHYJ).</source>
        <translation>图斑 {jcbh}：退回须在审核意见（SHYJ）中说明理由。</translation>
    </message>
    <message>
        <location filename="../domain/casework/review.py" line="316"/>
        <source>Patch {jcbh} is a 重大违法图斑 ({major}): its 审定 records that the 分管负责人 took part in the field visit or decision (分管负责人参与 FGCY).</source>
        <translation>图斑 {jcbh} 是重大违法图斑（{major}）：审定时须记录分管负责人参与了现场核查或合法性判定（分管负责人参与 FGCY）。</translation>
    </message>
    <message>
        <location filename="../domain/casework/review.py" line="344"/>
        <source>Patch {jcbh}: the workspace refused the signature: {reason}</source>
        <translation>图斑 {jcbh}：工作空间拒绝了签署：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/casework/review.py" line="381"/>
        <source>review chain: sent back (退回) at {step} by {who}: {reason}; correct and save the decision, then review it again</source>
        <translation>审查链：已在{step}时由 {who} 退回：{reason}；请改正并保存判定后重新审查</translation>
    </message>
    <message>
        <location filename="../domain/casework/review.py" line="385"/>
        <source>review chain: {step} is required before submission ({state}){major}</source>
        <translation>审查链：提交前须完成{step}（{state}）{major}</translation>
    </message>
    <message>
        <location filename="../domain/casework/review.py" line="388"/>
        <source>review chain: 重大违法图斑 ({major}) needs the record that the 分管负责人 took part (分管负责人参与 FGCY)</source>
        <translation>审查链：重大违法图斑（{major}）须记录分管负责人参与（分管负责人参与 FGCY）</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="320"/>
        <source>{label} ({field}) {value} is not an evidence file of this patch; attach one of its own files.</source>
        <translation>{label}（{field}）{value} 不是本图斑的佐证文件；请附本图斑自己的文件。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="324"/>
        <source>{label} ({field}) is empty although the case is closed: record the {closing} stage with the execution evidence.</source>
        <translation>{label}（{field}）为空但案件已结案：请记录{closing}阶段并附执行佐证。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="328"/>
        <source>{label} ({field}) {value!r} is not a stage of the 工作规程; choose one of {choices}.</source>
        <translation>{label}（{field}）{value!r} 不是工作规程中的阶段；请从 {choices} 中选择。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="331"/>
        <source>{label} ({field}) is not ticked, but the case stage {stage} is recorded: stages belong to a filed case.</source>
        <translation>{label}（{field}）未勾选，但记录了案件阶段{stage}：案件阶段只属于已立案的案件。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="334"/>
        <source>{label} ({field}) is empty: give the number of the stage&apos;s document.</source>
        <translation>{label}（{field}）为空：请填写该阶段文书的文号。</translation>
    </message>
    <message>
        <location filename="../domain/casework/validate.py" line="346"/>
        <source>{closing} needs execution evidence: attach the document ({label}, {field}) to the {execution} record or to this record.</source>
        <translation>{closing}须有执行佐证：请把文书（{label}，{field}）附在{execution}记录或本记录上。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/plan.py" line="300"/>
        <source>No visit record names this photo; it was not imported (import the package again with &apos;Store photos no record names&apos; to keep it as evidence of the patch it was taken in or near).</source>
        <translation>没有踏勘记录引用这张照片，未导入（勾选“保存没有记录引用的照片”再次导入，可作为拍摄位置所在或附近图斑的佐证资料保存）。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/store.py" line="290"/>
        <source>The photo was not stored: {reason}</source>
        <translation>照片未保存：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/store.py" line="280"/>
        <source>No visit record names this photo; stored as evidence {id} of the patch ({how}, {distance} m).</source>
        <translation>没有踏勘记录引用这张照片；已保存为该图斑的佐证资料 {id}（{how}，{distance} 米）。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/store.py" line="316"/>
        <source>No visit record names this photo and it was not stored: {reason}</source>
        <translation>没有踏勘记录引用这张照片，且未保存：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/imagery/screening.py" line="83"/>
        <source>Imagery shows almost no change (score {score:.2f}, {changed:.0%} of {pixels} pixels changed, mean brightness change {brightness:.1f}): suggests {category} instead of {previous} (rule {rule}); confirm on the images.</source>
        <translation>影像几乎没有变化（得分 {score:.2f}，{pixels} 个像元中 {changed:.0%} 有变化，亮度变化均值 {brightness:.1f}）：建议为{category}，而不是{previous}（规则 {rule}）；请看影像确认。</translation>
    </message>
    <message>
        <location filename="../domain/imagery/screening.py" line="95"/>
        <source>{reason} The imagery confirms a change on farmland: score {score:.2f}, {changed:.0%} of {pixels} pixels changed, {bare:.0%} bare soil or built-up on the after image.</source>
        <translation>{reason} 影像证实耕地上发生了变化：得分 {score:.2f}，{pixels} 个像元中 {changed:.0%} 有变化，后时相影像上 {bare:.0%} 为裸土或建设用地。</translation>
    </message>
    <message>
        <location filename="../domain/imagery/screening.py" line="103"/>
        <source>{reason} Possibly re-cultivated (可能已复耕): on the newer image the vegetation index ({index}) rose by {gain:+.2f} and {bare:.0%} is bare soil or built-up; the technician confirms with field photos.</source>
        <translation>{reason} 可能已复耕：较新影像上植被指数（{index}）上升 {gain:+.2f}，裸土或建设用地占 {bare:.0%}；请技术人员结合现场照片确认。</translation>
    </message>
    <message>
        <location filename="../domain/rules/imagery_rules.py" line="123"/>
        <source>Rule file {file} has no [imagery] section: the imagery screening needs its thresholds.</source>
        <translation>规则文件 {file} 没有 [imagery] 节：影像预筛需要其中的阈值。</translation>
    </message>
    <message>
        <location filename="../processing/imagery_io.py" line="73"/>
        <source>Image {image} has {count} band(s); the screening needs red, green and blue.</source>
        <translation>影像 {image} 只有 {count} 个波段；预筛需要红、绿、蓝三个波段。</translation>
    </message>
    <message>
        <location filename="../processing/imagery_io.py" line="80"/>
        <source>Image {image}: RED_BAND = {red} does not fit its {count} bands; give 1 for RGB order or 3 (or later) for BGR order.</source>
        <translation>影像 {image}：RED_BAND = {red} 与其 {count} 个波段不符；RGB 顺序填 1，BGR 顺序填 3（或更后）。</translation>
    </message>
    <message>
        <location filename="../processing/imagery_io.py" line="116"/>
        <source>Image {image} cannot be read: {detail}</source>
        <translation>无法读取影像 {image}：{detail}</translation>
    </message>
    <message>
        <location filename="../processing/imagery_io.py" line="121"/>
        <source>Image {image}: NIR_BAND = {nir} is not one of its other bands (1–{count}).</source>
        <translation>影像 {image}：NIR_BAND = {nir} 不是它的其他波段之一（1–{count}）。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/package.py" line="60"/>
        <source>Package {path} was refused: its member {member} would inflate from {packed} to {size} MB, which no photo or GeoPackage does.</source>
        <translation>外业包 {path} 被拒绝：其中的 {member} 会从 {packed} MB 解压为 {size} MB，照片和 GeoPackage 都不会这样。</translation>
    </message>
    <message>
        <location filename="../domain/fieldwork/package.py" line="67"/>
        <source>Package {path} needs {needed} MB unpacked, but the disk of {folder} has {free} MB free: free some space or import the unzipped folder.</source>
        <translation>外业包 {path} 解压需要 {needed} MB，但 {folder} 所在磁盘只有 {free} MB 可用空间：请清理空间，或导入已解压的文件夹。</translation>
    </message>
    <message>
        <location filename="../domain/reporting/excel.py" line="134"/>
        <source>Canceled; no workbook was written.</source>
        <translation>已取消；未写出工作簿。</translation>
    </message>
    <message>
        <location filename="../domain/output_files.py" line="58"/>
        <source>Could not write {path}: {reason}</source>
        <translation>无法写入 {path}：{reason}</translation>
    </message>
    <message>
        <location filename="../domain/output_files.py" line="57"/>
        <source>a file is in the way where a folder is needed</source>
        <translation>该位置已有同名文件，无法建立文件夹</translation>
    </message>
</context>
<context>
    <name>i18n</name>
    <message>
        <location filename="__init__.py" line="57"/>
        <source>WPZF has no Traditional Chinese translation; showing Simplified Chinese for {locale}.</source>
        <translation>卫片执法插件没有繁体中文翻译，{locale} 下显示简体中文。</translation>
    </message>
</context>
</TS>
