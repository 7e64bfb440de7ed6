<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AccountDialog</name>
    <message>
        <source>New account</source>
        <translation>新建账户</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Teaches class</source>
        <translation>任教班级</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Class adviser of</source>
        <translation>担任班主任的班级</translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <source>Accounts</source>
        <translation>账户管理</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Class adviser of</source>
        <translation>担任班主任的班级</translation>
    </message>
    <message>
        <source>New account…</source>
        <translation>新建账户…</translation>
    </message>
    <message>
        <source>Set password…</source>
        <translation>重设密码…</translation>
    </message>
    <message>
        <source>Class adviser of…</source>
        <translation>设为班主任…</translation>
    </message>
    <message>
        <source>Stop / re-activate</source>
        <translation>停用 / 重新启用</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>使用中</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停用</translation>
    </message>
</context>
<context>
    <name>AdviserDialog</name>
    <message>
        <source>Class adviser</source>
        <translation>设为班主任</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <source>No data</source>
        <translation>暂无数据</translation>
    </message>
</context>
<context>
    <name>BundleExport</name>
    <message>
        <source>No bundle exported yet.</source>
        <translation>尚未导出过数据包。</translation>
    </message>
    <message>
        <source>{count} bundle(s) exported (latest: {when} UTC); the district office has acknowledged up to number {ack}.</source>
        <translation>已导出 {count} 个数据包（最近：{when} UTC）；区教育局已确认到第 {ack} 个。</translation>
    </message>
    <message>
        <source>Export sync bundle</source>
        <translation>导出同步数据包</translation>
    </message>
    <message>
        <source>e.g. a folder on a USB stick</source>
        <translation>例如 U 盘上的文件夹</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Export everything (not only the changes since the last bundle)</source>
        <translation>导出全部数据（不只是上次以来的变更）</translation>
    </message>
    <message>
        <source>Include evidence files</source>
        <translation>包含佐证材料文件</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Load receipt…</source>
        <translation>载入回执…</translation>
    </message>
    <message>
        <source>Save to:</source>
        <translation>保存到：</translation>
    </message>
    <message>
        <source>Choose the folder to save the bundle in</source>
        <translation>选择保存数据包的文件夹</translation>
    </message>
    <message>
        <source>Choose the folder to save the bundle in first.</source>
        <translation>请先选择保存数据包的文件夹。</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Exporting the bundle…</source>
        <translation>正在导出数据包…</translation>
    </message>
    <message>
        <source>Exported: {path}
{rows} rows, {kb} KB. Hand this file to the district office.</source>
        <translation>已导出：{path}
共 {rows} 行，{kb} KB。请把该文件交给区教育局。</translation>
    </message>
    <message>
        <source>
Note: {n} evidence file(s) are not on this computer and were left out.</source>
        <translation>
注意：有 {n} 个佐证文件在本机找不到，未包含在内。</translation>
    </message>
    <message>
        <source>The export failed; see the message.</source>
        <translation>导出失败，请看提示。</translation>
    </message>
    <message>
        <source>Choose the district office's receipt</source>
        <translation>选择区教育局的回执</translation>
    </message>
    <message>
        <source>Receipts (*.receipt.json);;All files (*)</source>
        <translation>回执 (*.receipt.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>; bundle(s) {numbers} are missing: export everything again</source>
        <translation>；缺少第 {numbers} 个数据包，请重新导出全部数据</translation>
    </message>
    <message>
        <source>Receipt loaded: the district office has acknowledged up to bundle {ack}{gaps}.</source>
        <translation>回执已载入：区教育局已确认到第 {ack} 个数据包{gaps}。</translation>
    </message>
    <message>
        <source>Loading the receipt…</source>
        <translation>正在载入回执…</translation>
    </message>
</context>
<context>
    <name>BundleImport</name>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>School</source>
        <translation>学校</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Inserted</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>未变</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Can be imported (check)</source>
        <translation>可以导入（预检）</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>Already imported</source>
        <translation>已导入过</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Import school bundles</source>
        <translation>导入学校数据包</translation>
    </message>
    <message>
        <source>Add bundles…</source>
        <translation>添加数据包…</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>Check (changes nothing)</source>
        <translation>预检（不改动数据）</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Add the bundle files (*.gdbundle, *.gdbundle.zip), check them first, then import.</source>
        <translation>请添加数据包文件（*.gdbundle、*.gdbundle.zip），先预检，再导入。</translation>
    </message>
    <message>
        <source>GrowthDesk bundles (*.gdbundle *.gdbundle.zip);;All files (*)</source>
        <translation>GrowthDesk 数据包 (*.gdbundle *.gdbundle.zip);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose bundles</source>
        <translation>选择数据包</translation>
    </message>
    <message>
        <source>Checking the bundles…</source>
        <translation>正在检查数据包…</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Processing bundles…</source>
        <translation>正在处理数据包…</translation>
    </message>
    <message>
        <source>Check done: {ok} can be imported, {dup} already imported, {bad} rejected.</source>
        <translation>预检完成：可导入 {ok} 个，已导入过 {dup} 个，拒绝 {bad} 个。</translation>
    </message>
    <message>
        <source>Import done: {ok} imported, {dup} already imported, {bad} rejected.</source>
        <translation>导入完成：已导入 {ok} 个，已导入过 {dup} 个，拒绝 {bad} 个。</translation>
    </message>
</context>
<context>
    <name>CompetitionDialog</name>
    <message>
        <source>Edit competition</source>
        <translation>修改竞赛</translation>
    </message>
    <message>
        <source>Add a school/district competition</source>
        <translation>添加本校/本区竞赛</translation>
    </message>
    <message>
        <source>Competition name</source>
        <translation>竞赛名称</translation>
    </message>
    <message>
        <source>e.g. District Youth Science and Technology Innovation Contest</source>
        <translation>例如：2025年区青少年科技创新大赛</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Organiser</source>
        <translation>主办单位</translation>
    </message>
    <message>
        <source>e.g. district education bureau, district science association, this school</source>
        <translation>例如：区教育局、区科协、本校</translation>
    </message>
    <message>
        <source>Discipline</source>
        <translation>学科</translation>
    </message>
    <message>
        <source>e.g. science, mathematics, arts (optional)</source>
        <translation>例如：科技、数学、艺术（可不填）</translation>
    </message>
</context>
<context>
    <name>CompetitionsDialog</name>
    <message>
        <source>Competition list</source>
        <translation>竞赛目录</translation>
    </message>
    <message>
        <source>Competition name</source>
        <translation>竞赛名称</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Organiser</source>
        <translation>主办单位</translation>
    </message>
    <message>
        <source>Managed by</source>
        <translation>管理方</translation>
    </message>
    <message>
        <source>Awards</source>
        <translation>获奖记录</translation>
    </message>
    <message>
        <source>Find a competition</source>
        <translation>查找竞赛</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>新增…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>National list</source>
        <translation>全国性竞赛名单</translation>
    </message>
    <message>
        <source>This school</source>
        <translation>本校</translation>
    </message>
    <message>
        <source>District office</source>
        <translation>区教育局</translation>
    </message>
    <message>
        <source>This entry is managed by the national list or the district office and cannot be changed here.</source>
        <translation>该条目属于全国性竞赛名单或由区教育局管理，不能在此修改。</translation>
    </message>
</context>
<context>
    <name>DistrictWindow</name>
    <message>
        <source>Term</source>
        <translation>学期</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>学段</translation>
    </message>
    <message>
        <source>School category</source>
        <translation>学校类别</translation>
    </message>
    <message>
        <source>School</source>
        <translation>学校</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Update summary</source>
        <translation>更新统计汇总</translation>
    </message>
    <message>
        <source>Run once after importing bundles: evaluation statistics of a large district then filter in seconds</source>
        <translation>导入数据包后运行一次：大型区域的评价统计随后可秒级筛选</translation>
    </message>
    <message>
        <source>Export Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>All terms</source>
        <translation>全部学期</translation>
    </message>
    <message>
        <source>All stages</source>
        <translation>全部学段</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>All schools</source>
        <translation>全部学校</translation>
    </message>
    <message>
        <source>Name or student no., then Enter</source>
        <translation>输入姓名或学籍号，回车查找</translation>
    </message>
    <message>
        <source>{school} {cls} ({stage}, {status})</source>
        <translation>{school} {cls}（{stage}，{status}）</translation>
    </message>
    <message>
        <source>{name}: {where}</source>
        <translation>{name}：{where}</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>在读</translation>
    </message>
    <message>
        <source>Innovation project</source>
        <translation>科创项目</translation>
    </message>
    <message>
        <source>Competition award</source>
        <translation>竞赛获奖</translation>
    </message>
    <message>
        <source>Term evaluation</source>
        <translation>学期评价</translation>
    </message>
    <message>
        <source> The table shows the first {n}; export Excel or PDF for the whole list.</source>
        <translation>表中显示前 {n} 人，完整名单请导出 Excel 或 PDF。</translation>
    </message>
    <message>
        <source>Rules (a student meeting any one is listed, with the grounds):</source>
        <translation>入选规则（满足任一条即列入，并注明依据）：</translation>
    </message>
    <message>
        <source>{n} student(s).</source>
        <translation>共 {n} 人。</translation>
    </message>
    <message>
        <source>GrowthDesk district office · {name}</source>
        <translation>GrowthDesk 区教育局 · {name}</translation>
    </message>
    <message>
        <source>School bundles</source>
        <translation>学校数据报送</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计分析</translation>
    </message>
    <message>
        <source>Students across stages</source>
        <translation>学生跨学段跟踪</translation>
    </message>
    <message>
        <source>Cultivation list</source>
        <translation>培养名单</translation>
    </message>
    <message>
        <source>Import bundles…</source>
        <translation>导入数据包…</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>Computing: {what}</source>
        <translation>正在统计：{what}</translation>
    </message>
    <message>
        <source>Summarising: {term}</source>
        <translation>正在汇总：{term}</translation>
    </message>
    <message>
        <source>Updating the summary…</source>
        <translation>正在更新统计汇总…</translation>
    </message>
    <message>
        <source>  |  The summary is out of date: after importing bundles, press “Update summary”</source>
        <translation>　|　统计汇总已过期：导入数据包后请点“更新统计汇总”</translation>
    </message>
    <message>
        <source>{filters}  |  {schools} school(s), {behind} behind with their bundles (in red)</source>
        <translation>{filters}　|　学校 {schools} 所，数据报送落后 {behind} 所（红色标出）</translation>
    </message>
    <message>
        <source>Exported: {path}</source>
        <translation>已导出：{path}</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF file (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Export statistics</source>
        <translation>导出统计</translation>
    </message>
    <message>
        <source>district-statistics</source>
        <translation>区域统计</translation>
    </message>
</context>
<context>
    <name>EvalGridView</name>
    <message>
        <source>New round…</source>
        <translation>新一轮…</translation>
    </message>
    <message>
        <source>Undo (Ctrl+Z)</source>
        <translation>撤销（Ctrl+Z）</translation>
    </message>
    <message>
        <source>move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>move right</source>
        <translation>右移</translation>
    </message>
    <message>
        <source>stay</source>
        <translation>不动</translation>
    </message>
    <message>
        <source>Evaluator role</source>
        <translation>评价主体</translation>
    </message>
    <message>
        <source>After a level</source>
        <translation>输入等级后</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Arrows move · A/B/C/D set a level · Delete clears · Enter moves down, then to the next dimension · Ctrl+V pastes a column from Excel/WPS · every change is saved at once</source>
        <translation>方向键移动 · A/B/C/D 设定等级 · Delete 清除 · Enter 下移，到底后转到下一维度 · Ctrl+V 粘贴 Excel/WPS 中复制的一列 · 每次修改立即保存</translation>
    </message>
    <message>
        <source>Pick one class and a term to evaluate.</source>
        <translation>请选择一个班级和学期再评价。</translation>
    </message>
    <message>
        <source>Evaluator: %1</source>
        <translation>评价人：%1</translation>
    </message>
    <message>
        <source>First round (today)</source>
        <translation>第 1 轮（今天）</translation>
    </message>
    <message>
        <source>Round %1 · %2</source>
        <translation>第 %1 轮 · %2</translation>
    </message>
    <message>
        <source>New round</source>
        <translation>新一轮评价</translation>
    </message>
    <message>
        <source>Date of this round (e.g. 2025-11-20 or 11月20日):</source>
        <translation>本轮评价日期（如 2025-11-20 或 11月20日）：</translation>
    </message>
    <message>
        <source>%1 cell(s) pasted; %2 not understood (e.g. %3) were left as they were</source>
        <translation>已粘贴 %1 格；%2 格未能识别（如“%3”），保持原样</translation>
    </message>
    <message>
        <source>%1 cell(s) pasted</source>
        <translation>已粘贴 %1 格</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>All changes saved</source>
        <translation>已全部保存</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
</context>
<context>
    <name>EvaluationDialog</name>
    <message>
        <source>New process evaluation</source>
        <translation>新增过程性评价</translation>
    </message>
    <message>
        <source>Edit process evaluation</source>
        <translation>修改过程性评价</translation>
    </message>
    <message>
        <source>Dimension</source>
        <translation>评价维度</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>评价指标</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>分数</translation>
    </message>
    <message>
        <source>Evaluator role</source>
        <translation>评价主体</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>评价人</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>评语</translation>
    </message>
    <message>
        <source>(whole dimension)</source>
        <translation>（整个维度）</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Welcome to GrowthDesk</source>
        <translation>欢迎使用 GrowthDesk</translation>
    </message>
    <message>
        <source>First start: load the setup file your district office sent, then create the school administrator's account.</source>
        <translation>首次启动：请载入区教育局发来的学校设置文件，然后创建学校管理员账户。</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Setup file</source>
        <translation>设置文件</translation>
    </message>
    <message>
        <source>Admin login</source>
        <translation>管理员登录名</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>School setup file</source>
        <translation>学校设置文件</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Find: name, pinyin initials or student no.</source>
        <translation>查找：姓名、拼音首字母或学籍号</translation>
    </message>
</context>
<context>
    <name>GridModel</name>
    <message>
        <source>Class average</source>
        <translation>班级平均</translation>
    </message>
</context>
<context>
    <name>GrowthChart</name>
    <message>
        <source>No evaluations recorded yet</source>
        <translation>尚无评价记录</translation>
    </message>
    <message>
        <source>This term</source>
        <translation>本学期</translation>
    </message>
    <message>
        <source>Across terms</source>
        <translation>历学期变化</translation>
    </message>
</context>
<context>
    <name>Launcher</name>
    <message>
        <source>Something went wrong. Your data is safe; the action was not completed.</source>
        <translation>操作未能完成，数据没有受到影响。</translation>
    </message>
    <message>
        <source>Creating the demo school…</source>
        <translation>正在创建示例学校…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>The newest automatic backup is %1. Restore it? The unusable file is kept beside it.</source>
        <translation>最近的自动备份是 %1。要恢复它吗？无法使用的文件会保留在原处旁边。</translation>
    </message>
    <message>
        <source>Restore backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>This is a district database. The district window is not part of this version; use the command line (growthdesk stats, growthdesk bundle import).</source>
        <translation>这是区级数据库。本版本没有区级窗口，请使用命令行（growthdesk stats、growthdesk bundle import）。</translation>
    </message>
</context>
<context>
    <name>LinkDialog</name>
    <message>
        <source>Add link</source>
        <translation>添加链接</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>链接</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>LogEntryDialog</name>
    <message>
        <source>Add process log entry</source>
        <translation>添加过程记录</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段（开题/中期/结题）</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>内容</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Unlock GrowthDesk</source>
        <translation>解锁 GrowthDesk</translation>
    </message>
    <message>
        <source>Log in to GrowthDesk</source>
        <translation>登录 GrowthDesk</translation>
    </message>
    <message>
        <source>Demo data: log in as %1 with the password %2.</source>
        <translation>演示数据：请用账户 %1、密码 %2 登录。</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Delete this process evaluation?</source>
        <translation>确定删除这条过程性评价吗？</translation>
    </message>
    <message>
        <source>Delete this evidence record?</source>
        <translation>确定删除这份佐证材料吗？</translation>
    </message>
    <message>
        <source>Remove this award from the student? Team members keep it.</source>
        <translation>确定从该学生的档案中移除这项获奖吗？团队其他成员的记录保留。</translation>
    </message>
    <message>
        <source>Attaching files…</source>
        <translation>正在添加文件…</translation>
    </message>
    <message>
        <source>The file of this evidence is not on this computer: %1</source>
        <translation>这份佐证材料的文件不在本机：%1</translation>
    </message>
    <message>
        <source>Idle lock</source>
        <translation>闲置锁定</translation>
    </message>
    <message>
        <source>Lock the window after this many idle minutes (0 = never):</source>
        <translation>闲置多少分钟后锁定窗口（0 表示从不）：</translation>
    </message>
    <message>
        <source>GrowthDesk — Student growth portfolios</source>
        <translation>GrowthDesk 学生成长档案</translation>
    </message>
    <message>
        <source>Pickers</source>
        <translation>选择</translation>
    </message>
    <message>
        <source>Search: name, pinyin initials or student no. (Ctrl+F)</source>
        <translation>搜索：姓名、拼音首字母或学籍号（Ctrl+F）</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>学期</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>班级</translation>
    </message>
    <message>
        <source>Students</source>
        <translation>学生档案</translation>
    </message>
    <message>
        <source>Class evaluation grid</source>
        <translation>班级过程性评价</translation>
    </message>
    <message>
        <source>Term evaluation</source>
        <translation>期末评价</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Idle lock…</source>
        <translation>闲置锁定…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Records</source>
        <translation>记录(&amp;R)</translation>
    </message>
    <message>
        <source>New student…</source>
        <translation>新增学生…</translation>
    </message>
    <message>
        <source>Record award…</source>
        <translation>录入获奖…</translation>
    </message>
    <message>
        <source>New innovation project…</source>
        <translation>新建科创项目…</translation>
    </message>
    <message>
        <source>New process evaluation…</source>
        <translation>新增过程性评价…</translation>
    </message>
    <message>
        <source>Write term evaluation…</source>
        <translation>填写期末评价…</translation>
    </message>
    <message>
        <source>Attach evidence…</source>
        <translation>添加佐证材料…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>Find student</source>
        <translation>查找学生</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>Print class portfolios…</source>
        <translation>打印本班成长档案…</translation>
    </message>
    <message>
        <source>Print this student's portfolio…</source>
        <translation>打印该生成长档案…</translation>
    </message>
    <message>
        <source>Award entry sheet for this class…</source>
        <translation>本班竞赛获奖录入表…</translation>
    </message>
    <message>
        <source>Evaluation entry sheet for this class…</source>
        <translation>本班过程性评价录入表…</translation>
    </message>
    <message>
        <source>Import filled entry sheet…</source>
        <translation>导入填好的录入表…</translation>
    </message>
    <message>
        <source>Class term summary (Excel)…</source>
        <translation>班级学期汇总表（Excel）…</translation>
    </message>
    <message>
        <source>Import roster…</source>
        <translation>导入学籍名册…</translation>
    </message>
    <message>
        <source>Sync bundle and receipt…</source>
        <translation>同步数据包与回执…</translation>
    </message>
    <message>
        <source>&amp;Admin</source>
        <translation>管理(&amp;A)</translation>
    </message>
    <message>
        <source>Accounts…</source>
        <translation>账户管理…</translation>
    </message>
    <message>
        <source>Competition list…</source>
        <translation>竞赛目录…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>About GrowthDesk</source>
        <translation>关于 GrowthDesk</translation>
    </message>
    <message>
        <source>Whole school</source>
        <translation>全校</translation>
    </message>
    <message numerus="yes">
        <source>%n student(s)</source>
        <translation>
            <numerusform>%n 名学生</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 has no classes in this database (nothing was recorded for that term).</source>
        <translation>%1没有班级数据（该学期没有任何记录）。</translation>
    </message>
    <message>
        <source>No students were enrolled in this class in %1.</source>
        <translation>该班在%1没有在册学生。</translation>
    </message>
    <message>
        <source>View term evaluation…</source>
        <translation>查看期末评价…</translation>
    </message>
    <message>
        <source>Attach evidence</source>
        <translation>添加佐证材料</translation>
    </message>
    <message>
        <source>Arrows move · A/B/C/D set a level · Delete clears · Enter moves down</source>
        <translation>方向键移动 · A/B/C/D 设定等级 · Delete 清除 · Enter 下移</translation>
    </message>
    <message>
        <source>GrowthDesk %1
Offline student growth portfolios for schools and district offices.
Competition results are recorded for growth, never used to rank for admission.</source>
        <translation>GrowthDesk %1
面向学校和区教育局的离线学生成长档案。
竞赛获奖记录用于记录成长，不作为招生录取的排名依据。</translation>
    </message>
</context>
<context>
    <name>OpRunner</name>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Something went wrong. Your data is safe; the action was not completed.</source>
        <translation>操作未能完成，数据没有受到影响。</translation>
    </message>
</context>
<context>
    <name>OutcomeDialog</name>
    <message>
        <source>Add outcome</source>
        <translation>添加成果</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>成果名称</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>(optional)</source>
        <translation>（可不填）</translation>
    </message>
    <message>
        <source>Reference (patent no., journal…)</source>
        <translation>编号/出处（专利号、期刊等）</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Set password</source>
        <translation>重设密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
</context>
<context>
    <name>ProjectDialog</name>
    <message>
        <source>New innovation project</source>
        <translation>新建科创项目</translation>
    </message>
    <message>
        <source>Edit innovation project</source>
        <translation>编辑科创项目</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Discipline</source>
        <translation>学科领域</translation>
    </message>
    <message>
        <source>Start date</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>End date</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>(optional)</source>
        <translation>（可不填）</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>项目简介</translation>
    </message>
    <message>
        <source>Members (the current student leads)</source>
        <translation>成员（当前学生为负责人）</translation>
    </message>
    <message>
        <source>In-school mentor</source>
        <translation>校内导师</translation>
    </message>
    <message>
        <source>External mentor</source>
        <translation>校外导师</translation>
    </message>
    <message>
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>External mentor's organisation</source>
        <translation>校外导师单位</translation>
    </message>
</context>
<context>
    <name>Records</name>
    <message>
        <source>Classes</source>
        <translation>班级</translation>
    </message>
    <message>
        <source>Students</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Class changes</source>
        <translation>学籍变动</translation>
    </message>
    <message>
        <source>Competition list</source>
        <translation>竞赛目录</translation>
    </message>
    <message>
        <source>Innovation projects</source>
        <translation>科创项目</translation>
    </message>
    <message>
        <source>Project members</source>
        <translation>项目成员</translation>
    </message>
    <message>
        <source>Project mentors</source>
        <translation>项目导师</translation>
    </message>
    <message>
        <source>Project process log</source>
        <translation>项目过程记录</translation>
    </message>
    <message>
        <source>Project outcomes</source>
        <translation>项目成果</translation>
    </message>
    <message>
        <source>Awards</source>
        <translation>竞赛获奖</translation>
    </message>
    <message>
        <source>Award members</source>
        <translation>获奖成员</translation>
    </message>
    <message>
        <source>Process evaluations</source>
        <translation>过程性评价</translation>
    </message>
    <message>
        <source>Term evaluations</source>
        <translation>期末评价</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>佐证材料</translation>
    </message>
    <message>
        <source>Other records</source>
        <translation>其他记录</translation>
    </message>
</context>
<context>
    <name>ResultDialog</name>
    <message>
        <source>Record award</source>
        <translation>录入获奖</translation>
    </message>
    <message>
        <source>Edit award</source>
        <translation>编辑获奖记录</translation>
    </message>
    <message>
        <source>Competition</source>
        <translation>竞赛</translation>
    </message>
    <message>
        <source>Type part of the competition's name</source>
        <translation>输入竞赛名称的一部分查找</translation>
    </message>
    <message>
        <source>Not found? Add as a school/district competition…</source>
        <translation>没有找到？添加为本校/本区竞赛…</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Award</source>
        <translation>奖项</translation>
    </message>
    <message>
        <source>Award date</source>
        <translation>获奖日期</translation>
    </message>
    <message>
        <source>Certificate no.</source>
        <translation>证书编号</translation>
    </message>
    <message>
        <source>Certificate photo</source>
        <translation>证书照片</translation>
    </message>
    <message>
        <source>One photo for the whole team (optional)</source>
        <translation>整个团队只需一张（可不填）</translation>
    </message>
    <message>
        <source>Choose photo…</source>
        <translation>选择照片…</translation>
    </message>
    <message>
        <source>Team name</source>
        <translation>队伍名称</translation>
    </message>
    <message>
        <source>Work title</source>
        <translation>作品名称</translation>
    </message>
    <message>
        <source>Instructor</source>
        <translation>指导教师</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>核验</translation>
    </message>
    <message>
        <source>Students (tick all team members)</source>
        <translation>获奖学生（团体奖请勾选全部成员）</translation>
    </message>
    <message>
        <source>Not in the catalog.</source>
        <translation>竞赛目录中没有。</translation>
    </message>
    <message>
        <source>Did you mean: %1</source>
        <translation>可能是：%1</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png *.bmp);;All files (*)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.bmp);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>SheetImport</name>
    <message>
        <source>Spreadsheets (*.xlsx *.xlsm *.csv *.txt);;All files (*)</source>
        <translation>表格 (*.xlsx *.xlsm *.csv *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Choose a file. You will see a preview; nothing is written until you confirm.</source>
        <translation>请选择要导入的文件。导入前会先预览，确认后才写入。</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Save error report…</source>
        <translation>导出错误报告…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Choose file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>Checking the file…</source>
        <translation>正在检查文件…</translation>
    </message>
    <message>
        <source> (first {shown} of {total} problems listed; save the error report for all)</source>
        <translation>（列出前 {shown} 处问题，共 {total} 处；完整列表请导出错误报告）</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>rows-not-imported.xlsx</source>
        <translation>未导入的行.xlsx</translation>
    </message>
    <message>
        <source>Save error report</source>
        <translation>保存错误报告</translation>
    </message>
    <message>
        <source>
Error report saved: {path}</source>
        <translation>
错误报告已保存：{path}</translation>
    </message>
    <message>
        <source>Import student roster</source>
        <translation>导入学生名单</translation>
    </message>
    <message>
        <source>{n} rows checked</source>
        <translation>已检查 {n} 行</translation>
    </message>
    <message>
        <source>Imported: {new} new, {updated} updated, {unchanged} unchanged, {skipped} skipped</source>
        <translation>导入完成：新增 {new}，更新 {updated}，无变化 {unchanged}，跳过 {skipped}</translation>
    </message>
    <message>
        <source>; new classes: {classes}</source>
        <translation>；新建班级：{classes}</translation>
    </message>
    <message>
        <source>Import batch entries</source>
        <translation>导入批量录入表</translation>
    </message>
    <message>
        <source>Imported: {new} new, {present} already present, {errors} rows with errors</source>
        <translation>导入完成：新增 {new} 条，已存在跳过 {present} 条，有错误 {errors} 行</translation>
    </message>
    <message>
        <source>awards.xlsx</source>
        <translation>竞赛获奖录入表.xlsx</translation>
    </message>
    <message>
        <source>evaluations.xlsx</source>
        <translation>过程性评价录入表.xlsx</translation>
    </message>
    <message>
        <source>class-summary.xlsx</source>
        <translation>班级学期汇总.xlsx</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>正在生成…</translation>
    </message>
</context>
<context>
    <name>StudentDialog</name>
    <message>
        <source>Edit student</source>
        <translation>编辑学生信息</translation>
    </message>
    <message>
        <source>New student</source>
        <translation>新增学生</translation>
    </message>
    <message>
        <source>(no class)</source>
        <translation>（未分班）</translation>
    </message>
    <message>
        <source>Student no.</source>
        <translation>学籍号</translation>
    </message>
    <message>
        <source>G + 18 digits</source>
        <translation>G + 18 位数字，如 G110101201301010011</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>班级</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>学段</translation>
    </message>
    <message>
        <source>(from the class)</source>
        <translation>（按班级）</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>学籍状态</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>StudentListModel</name>
    <message>
        <source>Student no.</source>
        <translation>学籍号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>班级</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>学籍状态</translation>
    </message>
</context>
<context>
    <name>StudentPageWidget</name>
    <message>
        <source>Growth</source>
        <translation>成长视图</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Student no.</source>
        <translation>学籍号</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>学段</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>班级</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Enrolment status</source>
        <translation>学籍状态</translation>
    </message>
    <message>
        <source>Edit profile…</source>
        <translation>编辑基本信息…</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>基本信息</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>学期</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>New project…</source>
        <translation>新建项目…</translation>
    </message>
    <message>
        <source>Add process log entry…</source>
        <translation>添加过程记录…</translation>
    </message>
    <message>
        <source>Add outcome…</source>
        <translation>添加成果…</translation>
    </message>
    <message>
        <source>Innovation projects</source>
        <translation>科创项目</translation>
    </message>
    <message>
        <source>Competition</source>
        <translation>竞赛</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Award</source>
        <translation>奖项</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Team members</source>
        <translation>团队成员</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>核验</translation>
    </message>
    <message>
        <source>Record award…</source>
        <translation>录入获奖…</translation>
    </message>
    <message>
        <source>Competition results</source>
        <translation>竞赛获奖</translation>
    </message>
    <message>
        <source>Dimension</source>
        <translation>评价维度</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>分数</translation>
    </message>
    <message>
        <source>Evaluator role</source>
        <translation>评价主体</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>评价人</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>评语</translation>
    </message>
    <message>
        <source>New evaluation…</source>
        <translation>新增评价…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Process evaluations</source>
        <translation>过程性评价</translation>
    </message>
    <message>
        <source>Write term evaluation…</source>
        <translation>填写期末评价…</translation>
    </message>
    <message>
        <source>Term evaluation</source>
        <translation>期末评价</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Attached to</source>
        <translation>所属</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Attach file…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Add link…</source>
        <translation>添加链接…</translation>
    </message>
    <message>
        <source>Drop files here to attach them; double-click to open.</source>
        <translation>把文件拖到这里即可添加；双击打开。</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>佐证材料</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>View term evaluation…</source>
        <translation>查看期末评价…</translation>
    </message>
    <message>
        <source>No term evaluation yet.</source>
        <translation>尚未填写期末评价。</translation>
    </message>
</context>
<context>
    <name>TermEvaluationView</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Student no.</source>
        <translation>学籍号</translation>
    </message>
    <message>
        <source>Overall</source>
        <translation>综合</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>评语</translation>
    </message>
    <message>
        <source>Class adviser's comment (班主任评语)</source>
        <translation>班主任评语</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>保存（Ctrl+S）</translation>
    </message>
    <message>
        <source>Save and next (Ctrl+Enter)</source>
        <translation>保存并下一位（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Read only: term evaluations and comments of this class are written by its class adviser (%1) or a school admin.</source>
        <translation>只读：本班的期末评价和评语只能由班主任（%1）或学校管理员填写。</translation>
    </message>
    <message numerus="yes">
        <source>%n student(s) still without a comment</source>
        <translation>
            <numerusform>还有 %n 名学生未填写评语</numerusform>
        </translation>
    </message>
    <message>
        <source>Pick one class and a term.</source>
        <translation>请选择一个班级和学期。</translation>
    </message>
</context>
<context>
    <name>Tools</name>
    <message>
        <source>Pick a term and a class (or a student) first.</source>
        <translation>请先选择学期和班级（或学生）。</translation>
    </message>
    <message>
        <source>Save term portfolios</source>
        <translation>保存学期成长档案</translation>
    </message>
    <message>
        <source>No students were enrolled in this class in that term: nothing to print.</source>
        <translation>该班在所选学期没有在册学生，没有可打印的成长档案。</translation>
    </message>
    <message>
        <source>%1 portfolio(s), %2 page(s) written as separate files into %3</source>
        <translation>已生成 %1 份成长档案（每人一个文件），共 %2 页，保存在：%3</translation>
    </message>
    <message>
        <source>%1 portfolio(s), %2 page(s) written to %3</source>
        <translation>已生成 %1 份成长档案，共 %2 页：%3</translation>
    </message>
    <message>
        <source>Printing portfolios…</source>
        <translation>正在生成成长档案…</translation>
    </message>
    <message>
        <source>Pick one class first.</source>
        <translation>请先选择一个班级。</translation>
    </message>
</context>
</TS>