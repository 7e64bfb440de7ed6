<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AccessLogDialog</name>
    <message>
        <source>Access log</source>
        <translation>访问日志</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Students</source>
        <translation>学生人数</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Entries are kept %1 days.</source>
        <translation>记录保留 %1 天。</translation>
    </message>
    <message>
        <source>%1 entries; the chain is intact (no entry was edited or removed).</source>
        <translation>共 %1 条记录；校验链完整（没有记录被修改或删除）。</translation>
    </message>
    <message>
        <source>Warning: the access log was tampered with: %1</source>
        <translation>警告：访问日志被篡改过：%1</translation>
    </message>
    <message>
        <source>Export the access log</source>
        <translation>导出访问日志</translation>
    </message>
    <message>
        <source>Recovery key of this database (keep it locked away; it opens the database without any password):</source>
        <translation>本数据库的恢复密钥（请锁好保管；凭它不用任何密码即可打开数据库）：</translation>
    </message>
</context>
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
    <name>AccountImport</name>
    <message>
        <source>Import teachers' accounts</source>
        <translation>批量导入教师账户</translation>
    </message>
    <message>
        <source>Choose the teacher list (.xlsx): 工号, 姓名, 任教班级, 任教学科, 是否班主任. You see a preview first; nothing is written until you confirm. New teachers get an initial password on a printed slip and choose their own at the first log-in.</source>
        <translation>请选择教师名单（.xlsx），列为：工号、姓名、任教班级、任教学科、是否班主任。先显示预览，确认之前不会写入任何数据。新教师的初始密码打印在账户条上，首次登录时须设置自己的密码。</translation>
    </message>
    <message>
        <source>Download template…</source>
        <translation>下载模板…</translation>
    </message>
    <message>
        <source>new account</source>
        <translation>新建账户</translation>
    </message>
    <message>
        <source>updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Teacher / column</source>
        <translation>教师 / 列</translation>
    </message>
    <message>
        <source>Change or reason</source>
        <translation>变化或原因</translation>
    </message>
    <message>
        <source>account-slips.pdf</source>
        <translation>教师账户条.pdf</translation>
    </message>
    <message>
        <source>Save the account slips</source>
        <translation>保存账户条</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Imported: {new} new accounts, {updated} updated, {unchanged} unchanged, {skipped} rows skipped.</source>
        <translation>已导入：新建账户 {new} 个，更新 {updated} 个，无变化 {unchanged} 个，跳过 {skipped} 行。</translation>
    </message>
    <message>
        <source>Account slips with the initial passwords: {path} — print them, cut along the dashed lines, hand each teacher theirs.</source>
        <translation>含初始密码的账户条：{path}。请打印后沿虚线剪开，分别交给每位教师本人。</translation>
    </message>
    <message>
        <source>Save the template</source>
        <translation>保存模板</translation>
    </message>
    <message>
        <source>teacher-list.xlsx</source>
        <translation>教师名单模板.xlsx</translation>
    </message>
    <message>
        <source>Template saved: {path}</source>
        <translation>模板已保存：{path}</translation>
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
    <name>ArchiveDialog</name>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Tick the approved records of this term that go into each student's archive.</source>
        <translation>勾选本学期已通过审核、要进入学生档案的记录。</translation>
    </message>
    <message>
        <source>Student / record</source>
        <translation>学生 / 记录</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Tick all</source>
        <translation>全部勾选</translation>
    </message>
    <message>
        <source>Save selection</source>
        <translation>保存遴选结果</translation>
    </message>
    <message>
        <source>1 Selection</source>
        <translation>1 整理遴选</translation>
    </message>
    <message>
        <source> (removed after objection)</source>
        <translation>（异议后已撤下）</translation>
    </message>
    <message>
        <source>Saving selection…</source>
        <translation>正在保存遴选结果…</translation>
    </message>
    <message>
        <source>yyyy-MM-dd</source>
        <translation>yyyy年M月d日</translation>
    </message>
    <message>
        <source>Open the publicity period</source>
        <translation>开始公示</translation>
    </message>
    <message>
        <source>Print publicity sheet…</source>
        <translation>打印公示表…</translation>
    </message>
    <message>
        <source>During the period the selected records are frozen on every PC. Weekends and the school's holidays do not count as working days.</source>
        <translation>公示期间，入档记录在所有电脑上冻结，不能修改。周末和学校设定的节假日不计入工作日。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>Working days</source>
        <translation>工作日</translation>
    </message>
    <message>
        <source>2 Publicity</source>
        <translation>2 公示</translation>
    </message>
    <message>
        <source>%1 working days (at least %2)</source>
        <translation>%1 个工作日（至少 %2 个）</translation>
    </message>
    <message>
        <source>Empty publicity list</source>
        <translation>空名单公示</translation>
    </message>
    <message>
        <source>No record of this class is selected for this term's archive. Open the publicity period with an empty list? The class can then be signed off after it, so that it does not hold up the principal's sign-off of the grade.</source>
        <translation>本班本学期没有选入档案的记录。要以空名单开始公示吗？公示期结束后班主任即可签字，不影响校长签发全年级。</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>正在开始公示…</translation>
    </message>
    <message>
        <source>Publicity sheet</source>
        <translation>公示表</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Raised by</source>
        <translation>提出人</translation>
    </message>
    <message>
        <source>Objection</source>
        <translation>异议内容</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>处理理由</translation>
    </message>
    <message>
        <source>Record objection</source>
        <translation>登记异议</translation>
    </message>
    <message>
        <source>Raised by (name)</source>
        <translation>提出人（姓名）</translation>
    </message>
    <message>
        <source>Resolve selected objection</source>
        <translation>处理所选异议</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>3 Objections</source>
        <translation>3 异议处理</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>确认时间</translation>
    </message>
    <message>
        <source>Record the selected student's paper confirmation</source>
        <translation>登记所选学生的纸质确认</translation>
    </message>
    <message>
        <source>Adviser signs the class</source>
        <translation>班主任签字</translation>
    </message>
    <message>
        <source>Principal signs off the grade</source>
        <translation>校长签发全年级</translation>
    </message>
    <message>
        <source>4 Sign-off</source>
        <translation>4 签字归档</translation>
    </message>
    <message>
        <source>Signing…</source>
        <translation>正在签字…</translation>
    </message>
    <message>
        <source>Original record (as signed)</source>
        <translation>原记录（签字归档时）</translation>
    </message>
    <message>
        <source>Amendments (reason, who, when)</source>
        <translation>归档后更正（理由、更正人、日期）</translation>
    </message>
    <message>
        <source>What the record should now say</source>
        <translation>记录现在应为……</translation>
    </message>
    <message>
        <source>Why, and on what evidence</source>
        <translation>更正理由及依据</translation>
    </message>
    <message>
        <source>Add amendment to the selected record</source>
        <translation>为选中的记录添加更正</translation>
    </message>
    <message>
        <source>Correction</source>
        <translation>更正内容</translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation>更正理由</translation>
    </message>
    <message>
        <source>5 Amendments</source>
        <translation>5 归档后更正</translation>
    </message>
    <message>
        <source>Pick the record to amend in the table first.</source>
        <translation>请先在表格中选中要更正的记录。</translation>
    </message>
    <message>
        <source>The term's archive is signed off and locked. A correction does not change the signed record: it is added beside it with its reason, and both are printed in the portfolio.</source>
        <translation>本学期档案已签发归档，记录已锁定。更正不改动原记录，而是连同理由附在原记录旁，成长档案中二者并列打印。</translation>
    </message>
    <message>
        <source>Amendments are possible once the principal has signed off the grade; until then records are corrected through objections.</source>
        <translation>校长签发全年级档案后才能提交更正；在此之前，记录的错误通过公示期的异议处理更正。</translation>
    </message>
    <message>
        <source>Term archive: %1</source>
        <translation>学期档案：%1</translation>
    </message>
    <message>
        <source>%1 · step: %2</source>
        <translation>%1 · 当前环节：%2</translation>
    </message>
    <message>
        <source>open</source>
        <translation>待处理</translation>
    </message>
</context>
<context>
    <name>AutoSync</name>
    <message>
        <source>Syncing before quitting…</source>
        <translation>退出前正在同步…</translation>
    </message>
    <message>
        <source>A sync is already running; please wait.</source>
        <translation>正在同步，请稍候。</translation>
    </message>
    <message>
        <source>the round stopped with an error; it is tried again at the next round</source>
        <translation>本次同步出错中止，下次会自动重试</translation>
    </message>
    <message>
        <source>%n change(s) not synced</source>
        <translation>%n 条未同步</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>No sync folder set (File → Sync settings…)</source>
        <translation>未设置同步文件夹（文件 → 同步设置…）</translation>
    </message>
    <message>
        <source>Cannot sync: %1</source>
        <translation>无法同步：%1</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <source>today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>Last sync %1</source>
        <translation>上次同步 %1</translation>
    </message>
    <message>
        <source>Sync settings</source>
        <translation>同步设置</translation>
    </message>
    <message>
        <source>A shared folder on the school network, or a USB stick</source>
        <translation>校园网上的共享文件夹，或 U 盘</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>only at login, at quit and on demand</source>
        <translation>仅在登录、退出和手动时同步</translation>
    </message>
    <message>
        <source>Sync folder</source>
        <translation>同步文件夹</translation>
    </message>
    <message>
        <source>Sync every</source>
        <translation>自动同步间隔</translation>
    </message>
    <message>
        <source>This PC syncs at login, every few minutes while the folder can be reached, and at quit. The setting belongs to this PC only.</source>
        <translation>本机在登录时、能访问同步文件夹期间每隔几分钟、以及退出时自动同步。此设置只对本机有效。</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
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
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change your password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>%1, you logged in with an initial password. Choose your own password now; the initial one then stops working.</source>
        <translation>%1，您使用的是初始密码。请现在设置自己的密码，设置后初始密码即失效。</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>原密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>at least 6 characters</source>
        <translation>至少 6 位</translation>
    </message>
    <message>
        <source>Repeat new password</source>
        <translation>再次输入新密码</translation>
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
    <name>CreateDistrictDialog</name>
    <message>
        <source>Set up a district education office</source>
        <translation>设立区教育局</translation>
    </message>
    <message>
        <source>The district database receives the schools' data and makes each school's setup file. It always asks for a log-in.</source>
        <translation>区级数据库接收各校报送的数据，并为每所学校生成设置文件。打开时总要先登录。</translation>
    </message>
    <message>
        <source>District code</source>
        <translation>区代码</translation>
    </message>
    <message>
        <source>e.g. 330106</source>
        <translation>如 330106</translation>
    </message>
    <message>
        <source>District name</source>
        <translation>区名称</translation>
    </message>
    <message>
        <source>e.g. 西湖区教育局</source>
        <translation>如 西湖区教育局</translation>
    </message>
</context>
<context>
    <name>CreateSchoolDialog</name>
    <message>
        <source>Create this school from its setup file</source>
        <translation>用设置文件创建本校</translation>
    </message>
    <message>
        <source>The district office registered your school and sent a setup file (…-setup.json). Choose it; this PC then holds the school's main database (the hub).</source>
        <translation>区教育局登记本校后会发来一个设置文件（…-setup.json）。请选择该文件；本机将保存学校的主数据库（学校主机）。</translation>
    </message>
    <message>
        <source>Setup file</source>
        <translation>设置文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>School setup file</source>
        <translation>学校设置文件</translation>
    </message>
    <message>
        <source>Setup file (*.json);;All files (*)</source>
        <translation>设置文件 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>%1 (%2), %3</source>
        <translation>%1（%2），%3</translation>
    </message>
</context>
<context>
    <name>DataInventoryDialog</name>
    <message>
        <source>Data inventory</source>
        <translation>数据清单</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Save the data inventory</source>
        <translation>保存数据清单</translation>
    </message>
</context>
<context>
    <name>DistrictSchools</name>
    <message>
        <source>setup file issued, not joined yet</source>
        <translation>已发设置文件，尚未加入</translation>
    </message>
    <message>
        <source>joined</source>
        <translation>已加入</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>已吊销</translation>
    </message>
    <message>
        <source>format 1 (issue a new setup file)</source>
        <translation>旧格式（请重新签发设置文件）</translation>
    </message>
    <message>
        <source>Register each school here and give it its setup file (it holds the school's keys: hand it to that school only, e.g. on a USB stick). The school creates its database from it in GrowthDesk.</source>
        <translation>在这里登记每所学校并生成它的设置文件（内含该校密钥，只能交给该校本身，例如用 U 盘送达）。学校在 GrowthDesk 中用它创建本校数据库。</translation>
    </message>
    <message>
        <source>School code</source>
        <translation>学校代码</translation>
    </message>
    <message>
        <source>School name</source>
        <translation>学校名称</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Stages</source>
        <translation>学段</translation>
    </message>
    <message>
        <source>Bundles received</source>
        <translation>已收到数据包</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Register a school…</source>
        <translation>登记学校…</translation>
    </message>
    <message>
        <source>Issue a new setup file…</source>
        <translation>重新签发设置文件…</translation>
    </message>
    <message>
        <source>Revoke key</source>
        <translation>吊销密钥</translation>
    </message>
    <message>
        <source>Save the setup file</source>
        <translation>保存设置文件</translation>
    </message>
    <message>
        <source>Setup file (*.json)</source>
        <translation>设置文件 (*.json)</translation>
    </message>
    <message>
        <source>Revoke the key of {name} ({code})? Bundles from this school are then refused until it is enrolled again with a new setup file (Issue a new setup file).</source>
        <translation>要吊销 {name}（{code}）的密钥吗？吊销后该校的数据包将被拒收，直到用新的设置文件重新加入（“重新签发设置文件”）。</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>吊销</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The key of {name} is revoked. To let the school send again, save a new setup file for it.</source>
        <translation>{name} 的密钥已吊销。如需让该校重新报送，请为它重新签发设置文件。</translation>
    </message>
    <message>
        <source>Setup file of {name} saved: {path}. It holds a one-time key: hand it to that school only.</source>
        <translation>{name} 的设置文件已保存：{path}。文件内含一次性密钥，请只交给该校。</translation>
    </message>
    <message>
        <source>Register a school</source>
        <translation>登记学校</translation>
    </message>
    <message>
        <source>4–16 letters or digits, e.g. 33010601</source>
        <translation>4–16 位字母或数字，如 33010601</translation>
    </message>
    <message>
        <source>e.g. 西湖区实验中学</source>
        <translation>如 西湖区实验中学</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>更改…</translation>
    </message>
    <message>
        <source>Save setup file as</source>
        <translation>设置文件保存为</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>登记</translation>
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
        <source>Reason for looking up this student (required; written to the access log)</source>
        <translation>查询该学生的原因（必填，会记入访问日志）</translation>
    </message>
    <message>
        <source>State the reason for looking up this student first (it is written to the access log).</source>
        <translation>请先填写查询该学生的原因（会记入访问日志）。</translation>
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
        <source>Term archive progress</source>
        <translation>综评进度</translation>
    </message>
    <message>
        <source>Schools and setup files</source>
        <translation>学校登记与设置文件</translation>
    </message>
    <message>
        <source>Programmes</source>
        <translation>培养项目</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
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
        <source>Summary update stopped: {n} term(s) done; the others are computed on the fly until the next update</source>
        <translation>汇总更新已停止：已完成 {n} 个学期；其余学期在下次更新汇总之前按实时计算</translation>
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
        <source>Comment column</source>
        <translation>评语列</translation>
    </message>
    <message>
        <source>One comment per student for this round, saved with the evaluation</source>
        <translation>每名学生本轮一条评语，与过程性评价一起保存</translation>
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
        <source>A comment needs a level first: %1</source>
        <translation>请先评等级再写评语：%1</translation>
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
    <name>FileMenu</name>
    <message>
        <source>Demo data</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <source>Made-up data for trying GrowthDesk out. Do not enter real pupils here.</source>
        <translation>用于试用 GrowthDesk 的虚构数据，请勿在此录入真实学生。</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Switch or create…</source>
        <translation>切换/新建…</translation>
    </message>
    <message>
        <source>Recent databases</source>
        <translation>最近打开</translation>
    </message>
    <message>
        <source>district</source>
        <translation>区级</translation>
    </message>
    <message>
        <source>school</source>
        <translation>学校</translation>
    </message>
    <message>
        <source>workstation</source>
        <translation>工作站</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <source>Open database</source>
        <translation>打开数据库</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Sync settings…</source>
        <translation>同步设置…</translation>
    </message>
    <message>
        <source>Load a re-issued setup file…</source>
        <translation>载入区里重新签发的设置文件…</translation>
    </message>
    <message>
        <source>Sync folder</source>
        <translation>同步文件夹</translation>
    </message>
    <message>
        <source>Synced: {received} bundle(s) in, {sent} out.</source>
        <translation>已同步：收到 {received} 个数据包，发出 {sent} 个。</translation>
    </message>
    <message>
        <source>{n} skipped: {reason}</source>
        <translation>跳过 {n} 个：{reason}</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>School setup file</source>
        <translation>学校设置文件</translation>
    </message>
    <message>
        <source>Setup file (*.json)</source>
        <translation>设置文件 (*.json)</translation>
    </message>
    <message>
        <source>The new setup file is loaded: this school sends with its new keys from now on.</source>
        <translation>新的设置文件已载入：本校此后使用新密钥报送。</translation>
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
        <source>This database has no accounts yet. Create its first administrator; from now on it opens only after a log-in.</source>
        <translation>此数据库还没有账户。请创建第一位管理员；此后打开时都需要登录。</translation>
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
        <source>e.g. 2025-11-20 or 11月20日</source>
        <translation>如 2025-11-20 或 11月20日</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>日历</translation>
    </message>
    <message>
        <source>Find: name, pinyin initials or student no.</source>
        <translation>查找：姓名、拼音首字母或学籍号</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>已保存</translation>
    </message>
</context>
<context>
    <name>GridModel</name>
    <message>
        <source>Comment</source>
        <translation>评语</translation>
    </message>
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
    <message>
        <source>No record</source>
        <translation>暂无记录</translation>
    </message>
</context>
<context>
    <name>GuardianDialog</name>
    <message>
        <source>Guardian's request</source>
        <translation>监护人申请</translation>
    </message>
    <message>
        <source>e.g. written request of the mother, received 20 November</source>
        <translation>例如：学生母亲书面申请，11月20日收到</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Request and reason (required)</source>
        <translation>申请人及原因（必填）</translation>
    </message>
    <message>
        <source>1. See everything held</source>
        <translation>一、查阅全部信息</translation>
    </message>
    <message>
        <source>Export everything held (PDF + Excel)…</source>
        <translation>导出全部信息（PDF + Excel）…</translation>
    </message>
    <message>
        <source>Every record about this student, in a PDF to print and a spreadsheet.</source>
        <translation>该学生的全部记录，导出为可打印的 PDF 和电子表格。</translation>
    </message>
    <message>
        <source>2. Correct a field</source>
        <translation>二、更正信息</translation>
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
        <source>National student number</source>
        <translation>学籍号</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Correct</source>
        <translation>更正</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>Corrected value</source>
        <translation>更正为</translation>
    </message>
    <message>
        <source>3. Delete the student</source>
        <translation>三、删除该学生</translation>
    </message>
    <message>
        <source>Delete everything about this student…</source>
        <translation>删除该学生的全部信息…</translation>
    </message>
    <message>
        <source>The student and all their records are deleted for good, also at the district and on the other workstations.</source>
        <translation>该学生及其全部记录将被永久删除，区教育局和其他工作站上的也会删除。</translation>
    </message>
    <message>
        <source> (deleted)</source>
        <translation>（已删除）</translation>
    </message>
    <message>
        <source>Write down the request and its reason first (it goes into the access log).</source>
        <translation>请先填写申请人及原因（会记入访问日志）。</translation>
    </message>
    <message>
        <source>Folder for the export</source>
        <translation>选择导出文件夹</translation>
    </message>
    <message>
        <source>Saved %1 records to %2 and %3.</source>
        <translation>已导出 %1 条记录：%2 和 %3。</translation>
    </message>
    <message>
        <source>Corrected: %1.</source>
        <translation>已更正：%1。</translation>
    </message>
    <message>
        <source>Delete %1 and all their records for good? This cannot be undone.</source>
        <translation>确定永久删除 %1 及其全部记录吗？操作不可恢复。</translation>
    </message>
    <message>
        <source>Deleted the student and %1 records.</source>
        <translation>已删除该学生及 %1 条记录。</translation>
    </message>
    <message>
        <source>Pick the student in the list first.</source>
        <translation>请先在列表中选择学生。</translation>
    </message>
</context>
<context>
    <name>HomeStrip</name>
    <message>
        <source>Record award</source>
        <translation>录入获奖</translation>
    </message>
    <message>
        <source>Class evaluation</source>
        <translation>班级评价</translation>
    </message>
    <message>
        <source>Write comments</source>
        <translation>写评语</translation>
    </message>
    <message>
        <source>Print portfolios</source>
        <translation>打印档案</translation>
    </message>
    <message>
        <source>A new school's first steps:</source>
        <translation>新学校第一步：</translation>
    </message>
    <message>
        <source>1 Import the roster</source>
        <translation>① 导入学籍名单</translation>
    </message>
    <message>
        <source>2 Create teachers' accounts</source>
        <translation>② 建教师账户</translation>
    </message>
    <message>
        <source>3 Set class advisers</source>
        <translation>③ 设班主任</translation>
    </message>
    <message>
        <source>%1 without an evaluation this month</source>
        <translation>本月未评价 %1 人</translation>
    </message>
    <message>
        <source>%1 comments not written</source>
        <translation>未写评语 %1 人</translation>
    </message>
    <message>
        <source>%1 award(s) to verify</source>
        <translation>待核验获奖 %1 项</translation>
    </message>
    <message>
        <source>Still to do for this class: </source>
        <translation>本班待办：</translation>
    </message>
</context>
<context>
    <name>Launcher</name>
    <message>
        <source>Something went wrong. Your data is safe; the action was not completed.</source>
        <translation>操作未能完成，数据没有受到影响。</translation>
    </message>
    <message>
        <source>This PC has joined its school as a workstation and waits for the school's accounts. To sync until they arrive, choose its workstation setup file again (from the school administrator).</source>
        <translation>本机已作为工作站加入学校，正在等待学校的账户。在账户到达之前同步，需要再次选择本机的工作站设置文件（由学校管理员提供）。</translation>
    </message>
    <message>
        <source>Workstation setup file</source>
        <translation>工作站设置文件</translation>
    </message>
    <message>
        <source>Setup file (*.json)</source>
        <translation>设置文件 (*.json)</translation>
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
        <source>%1 is not a GrowthDesk database (it is empty or missing).</source>
        <translation>%1 不是 GrowthDesk 数据库（文件为空或不存在）。</translation>
    </message>
    <message>
        <source>The database is now encrypted. Its recovery key opens it if every password is forgotten. Print it or write it down and keep it locked away; it is shown only now (an administrator can print it again later):</source>
        <translation>数据库现已加密。如果所有密码都忘记了，可以用恢复密钥打开它。请打印或抄下来锁好保管；它只在此时显示（管理员以后可以再次查看）：</translation>
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
        <source>Demo data</source>
        <translation>演示数据</translation>
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
    <message>
        <source>The initial password must be changed before GrowthDesk opens.</source>
        <translation>必须先修改初始密码，才能进入 GrowthDesk。</translation>
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
        <source>Remove this project from the student? Other members keep it.</source>
        <translation>确定从该学生的档案中移除这个项目吗？其他成员的记录保留。</translation>
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
        <source>Review queue…</source>
        <translation>审核队列…</translation>
    </message>
    <message>
        <source>Term archive: selection, publicity, sign-off…</source>
        <translation>学期档案：遴选、公示、签字…</translation>
    </message>
    <message>
        <source>Student accounts and password slips…</source>
        <translation>学生账户与初始密码条…</translation>
    </message>
    <message>
        <source>Term archive settings (holidays, publicity days, objections)…</source>
        <translation>综评档案设置（节假日、公示天数、异议处理教师）…</translation>
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
        <source>Cultivation programmes…</source>
        <translation>培养项目…</translation>
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
        <source>Import teachers' accounts…</source>
        <translation>导入教师账户…</translation>
    </message>
    <message>
        <source>Add workstation…</source>
        <translation>添加工作站…</translation>
    </message>
    <message>
        <source>Access log…</source>
        <translation>访问日志…</translation>
    </message>
    <message>
        <source>Guardian's request for this student…</source>
        <translation>监护人申请（当前学生）…</translation>
    </message>
    <message>
        <source>Records past the retention period…</source>
        <translation>到期学生信息清理…</translation>
    </message>
    <message>
        <source>Show the recovery key…</source>
        <translation>查看恢复密钥…</translation>
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
        <source>Data inventory…</source>
        <translation>数据清单…</translation>
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
        <source>Password slips</source>
        <translation>初始密码条</translation>
    </message>
    <message>
        <source>Making accounts…</source>
        <translation>正在生成学生账户…</translation>
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
    <message>
        <source>Pick one class and a term first.</source>
        <translation>请先选择一个班级和学期。</translation>
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
    <name>ProcessPage</name>
    <message>
        <source>{term}: {schools} school(s), {classes} class(es), {locked} archived (signed off by the principal). Only approved records count.</source>
        <translation>{term}：{schools} 所学校，{classes} 个班级，其中 {locked} 个已签发归档（校长签发）。只统计已通过审核的记录。</translation>
    </message>
</context>
<context>
    <name>ProcessSettingsDialog</name>
    <message>
        <source>Term archive settings</source>
        <translation>综评档案设置</translation>
    </message>
    <message>
        <source>Records and publicity</source>
        <translation>写实记录与公示</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source> working days</source>
        <translation> 个工作日</translation>
    </message>
    <message>
        <source>A record counts as back-filled when entered more than</source>
        <translation>活动结束多少天后录入算作补录</translation>
    </message>
    <message>
        <source>A publicity period lasts at least</source>
        <translation>公示期最少</translation>
    </message>
    <message>
        <source>Holidays (not counted as working days)</source>
        <translation>节假日（不计为工作日）</translation>
    </message>
    <message>
        <source>One date or range per line, e.g. 2026-10-01..2026-10-07. Weekends never count; a make-up working day (a weekend day with classes) counts.</source>
        <translation>每行一个日期或日期范围，例如 2026-10-01..2026-10-07。周末不计为工作日；调休上课的周末计为工作日。</translation>
    </message>
    <message>
        <source>Holidays</source>
        <translation>节假日</translation>
    </message>
    <message>
        <source>Make-up working days</source>
        <translation>调休上班日</translation>
    </message>
    <message>
        <source>Teacher designated to resolve objections, per grade</source>
        <translation>各年级指定处理异议的教师</translation>
    </message>
    <message>
        <source>Besides each class's adviser, this teacher may record and resolve the grade's objections during publicity.</source>
        <translation>除各班班主任外，该教师也可以在公示期内登记和处理本年级的异议。</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>年级</translation>
    </message>
    <message>
        <source>Designated teacher</source>
        <translation>指定教师</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>(only the class advisers)</source>
        <translation>（仅由各班班主任处理）</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存……</translation>
    </message>
</context>
<context>
    <name>Programmes</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>School</source>
        <translation>学校</translation>
    </message>
    <message>
        <source>Rules met</source>
        <translation>入选规则</translation>
    </message>
    <message>
        <source>Grounds</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Nominated by</source>
        <translation>推荐方</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>遴选结果</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>成员</translation>
    </message>
    <message>
        <source>Joined</source>
        <translation>入选日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
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
        <source>Hours</source>
        <translation>学时</translation>
    </message>
    <message>
        <source>Awards during</source>
        <translation>在培期间获奖</translation>
    </message>
    <message>
        <source>Projects during</source>
        <translation>在培期间项目</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>去向</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活动类型</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Mentor feedback</source>
        <translation>导师反馈</translation>
    </message>
    <message>
        <source>Entered by</source>
        <translation>记录人</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>评价人</translation>
    </message>
    <message>
        <source>Scores</source>
        <translation>各项评分</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>评语</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Programmes</source>
        <translation>培养项目数</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>成员数</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>在培</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>已退出</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>已结业</translation>
    </message>
    <message>
        <source>School category</source>
        <translation>学校类别</translation>
    </message>
    <message>
        <source>Students of the stage</source>
        <translation>该学段学生数</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>From</source>
        <translation>自</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Reached the next stage</source>
        <translation>升入下一学段</translation>
    </message>
    <message>
        <source>Continued</source>
        <translation>继续入选</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>衔接率</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>Mentor</source>
        <translation>导师</translation>
    </message>
    <message>
        <source>Institution or school</source>
        <translation>单位或学校</translation>
    </message>
    <message>
        <source>New programme…</source>
        <translation>新建培养项目…</translation>
    </message>
    <message>
        <source>Edit programme…</source>
        <translation>编辑培养项目…</translation>
    </message>
    <message>
        <source>Nominate from the rules</source>
        <translation>按规则推荐</translation>
    </message>
    <message>
        <source>Select…</source>
        <translation>入选…</translation>
    </message>
    <message>
        <source>Not this time…</source>
        <translation>本次未入选…</translation>
    </message>
    <message>
        <source>Withdraw…</source>
        <translation>撤回…</translation>
    </message>
    <message>
        <source>Nominate…</source>
        <translation>推荐…</translation>
    </message>
    <message>
        <source>Candidates and decisions</source>
        <translation>候选与遴选</translation>
    </message>
    <message>
        <source>Leave…</source>
        <translation>退出…</translation>
    </message>
    <message>
        <source>Mentors…</source>
        <translation>导师…</translation>
    </message>
    <message>
        <source>Add log entry…</source>
        <translation>添加成长日志…</translation>
    </message>
    <message>
        <source>Evaluate…</source>
        <translation>评价…</translation>
    </message>
    <message>
        <source>Growth log</source>
        <translation>成长日志</translation>
    </message>
    <message>
        <source>Evaluations</source>
        <translation>评价</translation>
    </message>
    <message>
        <source>Members, logs and evaluations</source>
        <translation>成员、成长日志与评价</translation>
    </message>
    <message>
        <source>Members by tier</source>
        <translation>各层级成员</translation>
    </message>
    <message>
        <source>Members by school category</source>
        <translation>各类别学校成员（城区/镇区/乡村）</translation>
    </message>
    <message>
        <source>Retention from tier to tier</source>
        <translation>层级间衔接率</translation>
    </message>
    <message>
        <source>The chain: persons in several tiers</source>
        <translation>培养链：跨层级成员</translation>
    </message>
    <message>
        <source>Mentors' load</source>
        <translation>导师指导量</translation>
    </message>
    <message>
        <source>The chain across stages</source>
        <translation>跨学段培养链</translation>
    </message>
    <message>
        <source>Mentors</source>
        <translation>导师</translation>
    </message>
    <message>
        <source>Mentor's record…</source>
        <translation>导师档案…</translation>
    </message>
    <message>
        <source>The chosen mentor's record (yours, if you are a mentor and none is chosen): students guided, hours, their awards and projects</source>
        <translation>所选导师的指导档案（未选择时为本人的档案）：指导的学生、学时、学生的获奖和科创项目</translation>
    </message>
    <message>
        <source>Export Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Import list…</source>
        <translation>导入名单…</translation>
    </message>
    <message>
        <source>Term</source>
        <translation>学期</translation>
    </message>
    <message>
        <source>district</source>
        <translation>区教育局</translation>
    </message>
    <message>
        <source>{name} · {tier} · {owner} · disciplines: {disc} · from {start} · capacity: {cap} · criteria: {crit}</source>
        <translation>{name} · {tier} · {owner} · 学科：{disc} · 起始学期 {start} · 名额：{cap} · 评价指标：{crit}</translation>
    </message>
    <message>
        <source>(no rule matches now)</source>
        <translation>（目前不符合规则）</translation>
    </message>
    <message>
        <source>Nominate</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>Why is {name} nominated?</source>
        <translation>推荐 {name} 的理由：</translation>
    </message>
    <message>
        <source>Reason for “{decision}” ({name}):</source>
        <translation>“{decision}”的理由（{name}）：</translation>
    </message>
    <message>
        <source>Leave</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Why does {name} leave?</source>
        <translation>{name} 退出的理由：</translation>
    </message>
    <message>
        <source>Choose a mentor in the list first.</source>
        <translation>请先在列表中选择一名导师。</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Export programmes</source>
        <translation>导出培养项目</translation>
    </message>
    <message>
        <source>programmes</source>
        <translation>培养项目</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cultivation programmes</source>
        <translation>培养项目</translation>
    </message>
    <message>
        <source>Mentors of {name}</source>
        <translation>{name} 的导师</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Or a new external mentor:</source>
        <translation>或新增校外导师：</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>研究领域</translation>
    </message>
    <message>
        <source>Growth log of {name}</source>
        <translation>{name} 的成长日志</translation>
    </message>
    <message>
        <source>Evaluate {name}</source>
        <translation>评价 {name}</translation>
    </message>
    <message>
        <source>Edit programme</source>
        <translation>编辑培养项目</translation>
    </message>
    <message>
        <source>New programme</source>
        <translation>新建培养项目</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Programme name</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <source>Disciplines</source>
        <translation>学科</translation>
    </message>
    <message>
        <source>From term</source>
        <translation>起始学期</translation>
    </message>
    <message>
        <source>To term</source>
        <translation>结束学期</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>名额</translation>
    </message>
    <message>
        <source>Evaluation criteria</source>
        <translation>评价指标</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>简介</translation>
    </message>
    <message>
        <source>Import programme list</source>
        <translation>导入培养项目名单</translation>
    </message>
    <message>
        <source>Imported: {members} members, {programmes} new programmes, {mentors} new mentors</source>
        <translation>已导入：成员 {members} 名，新建培养项目 {programmes} 个，新建导师 {mentors} 名</translation>
    </message>
    <message>
        <source>Mentor's record: {name}</source>
        <translation>导师档案：{name}</translation>
    </message>
    <message>
        <source>{name} · {kind} · {where} · students guided: {n} · hours: {hours} · their awards: {awards} · their projects: {projects}</source>
        <translation>{name} · {kind} · {where} · 指导学生 {n} 名 · 学时 {hours} · 学生获奖 {awards} 项 · 学生科创项目 {projects} 项</translation>
    </message>
    <message>
        <source>Programme</source>
        <translation>培养项目</translation>
    </message>
    <message>
        <source>Left on</source>
        <translation>退出日期</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Export the mentor's record</source>
        <translation>导出导师档案</translation>
    </message>
    <message>
        <source>mentor record</source>
        <translation>导师档案</translation>
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
    <name>RetentionDialog</name>
    <message>
        <source>Records past the retention period</source>
        <translation>到期学生信息清理</translation>
    </message>
    <message>
        <source>Personal information is kept only as long as needed. Students listed here left or graduated more than the retention period ago. Check the list, untick anyone whose records must stay, then anonymise (levels, awards and projects stay for the school's statistics; names, student numbers, birth dates, comments and certificates are removed) or delete everything. Neither can be undone; it is written to the access log and travels to the district and the other workstations.</source>
        <translation>个人信息只在需要期间保存。下列学生毕业或转出已超过保存年限。请核对名单，取消勾选仍需保留的学生，然后选择匿名化（保留等级、获奖和项目供学校统计，删除姓名、学籍号、出生日期、评语和证书材料）或全部删除。两者都不可恢复；操作会记入访问日志，并同步到区教育局和其他工作站。</translation>
    </message>
    <message>
        <source> years</source>
        <translation> 年</translation>
    </message>
    <message>
        <source>Save the period</source>
        <translation>保存年限</translation>
    </message>
    <message>
        <source>Keep the records of students who left for</source>
        <translation>离校学生的信息保存</translation>
    </message>
    <message>
        <source>Include</source>
        <translation>选中</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>学籍状态</translation>
    </message>
    <message>
        <source>Left on</source>
        <translation>离校日期</translation>
    </message>
    <message>
        <source>Anonymise the ticked students…</source>
        <translation>匿名化选中的学生…</translation>
    </message>
    <message>
        <source>Delete the ticked students…</source>
        <translation>删除选中的学生…</translation>
    </message>
    <message>
        <source>%1 students left more than %2 years ago.</source>
        <translation>共 %1 名学生离校已超过 %2 年。</translation>
    </message>
    <message>
        <source>Tick at least one student first.</source>
        <translation>请先勾选至少一名学生。</translation>
    </message>
    <message>
        <source>Anonymise %1 students? Their names, student numbers, birth dates, comments and certificates are removed for good; this cannot be undone.</source>
        <translation>确定匿名化这 %1 名学生吗？他们的姓名、学籍号、出生日期、评语和证书材料将被永久删除，操作不可恢复。</translation>
    </message>
    <message>
        <source>Delete %1 students and all their records for good? This cannot be undone.</source>
        <translation>确定永久删除这 %1 名学生及其全部记录吗？操作不可恢复。</translation>
    </message>
    <message>
        <source>Anonymised %1 students.</source>
        <translation>已匿名化 %1 名学生。</translation>
    </message>
    <message>
        <source>Deleted %1 students and %2 records; %3 evidence files removed.</source>
        <translation>已删除 %1 名学生、%2 条记录，并移除 %3 个佐证文件。</translation>
    </message>
</context>
<context>
    <name>ReviewQueueDialog</name>
    <message>
        <source>Review queue</source>
        <translation>审核队列</translation>
    </message>
    <message>
        <source>Student</source>
        <translation>学生</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>班级</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Entered by</source>
        <translation>录入方式</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Approve selected</source>
        <translation>通过所选记录</translation>
    </message>
    <message>
        <source>Return with reason…</source>
        <translation>退回（写明理由）…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source> · back-filled</source>
        <translation> · 补录</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>符合规则</translation>
    </message>
    <message>
        <source>Changes from other PCs held back (kept, not applied):</source>
        <translation>以下来自其他电脑的修改因公示冻结等原因被暂扣（已保存，未生效）：</translation>
    </message>
    <message>
        <source>%1 record(s) waiting, oldest first. Select rows (Ctrl/Shift-click) and approve them together, or return one with a reason.</source>
        <translation>共 %1 条待审核，最早提交的在前。可按住 Ctrl/Shift 多选后一起通过，或逐条写明理由退回。</translation>
    </message>
    <message>
        <source>%1 selected</source>
        <translation>已选 %1 条</translation>
    </message>
    <message>
        <source>submitted %1</source>
        <translation>提交于 %1</translation>
    </message>
    <message>
        <source> · entered more than the set days after the event</source>
        <translation> · 事后超过规定天数才录入（补录）</translation>
    </message>
    <message>
        <source>Approving…</source>
        <translation>正在审核…</translation>
    </message>
    <message>
        <source>Return with reason</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Why is it returned? The student sees this:</source>
        <translation>退回理由（学生会看到）：</translation>
    </message>
    <message>
        <source>Returning…</source>
        <translation>正在退回…</translation>
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
        <source>Add the {n} competition(s) not in the catalog as school competitions, and import their {m} award(s)</source>
        <translation>将目录中没有的 {n} 项竞赛添加为本校竞赛，并导入其 {m} 条获奖记录</translation>
    </message>
    <message>
        <source>Not in the catalog:</source>
        <translation>以下竞赛不在竞赛目录中：</translation>
    </message>
    <message>
        <source>Imported: {new} new, {present} already present, {errors} rows with errors</source>
        <translation>导入完成：新增 {new} 条，已存在跳过 {present} 条，有错误 {errors} 行</translation>
    </message>
    <message>
        <source>; school competitions added: {names}</source>
        <translation>；已添加本校竞赛：{names}</translation>
    </message>
    <message>
        <source>; {n} row(s) naming a competition not in the catalog were not imported</source>
        <translation>；{n} 行的竞赛不在目录中，未导入</translation>
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
    <name>StartDialog</name>
    <message>
        <source>GrowthDesk database (*.db *.sqlite *.sqlite3);;All files (*)</source>
        <translation>GrowthDesk 数据库 (*.db *.sqlite *.sqlite3);;所有文件 (*)</translation>
    </message>
    <message>
        <source>GrowthDesk — Getting started</source>
        <translation>GrowthDesk 学生成长档案 — 开始使用</translation>
    </message>
    <message>
        <source>Welcome to GrowthDesk student growth portfolios</source>
        <translation>欢迎使用 GrowthDesk 学生成长档案</translation>
    </message>
    <message>
        <source>What is this computer for? Choose one; you can switch later in the File menu.</source>
        <translation>这台电脑用来做什么？请选择一项；以后可在“文件”菜单中切换。</translation>
    </message>
    <message>
        <source>Create this school from the district's setup file</source>
        <translation>用区里发来的设置文件创建本校</translation>
    </message>
    <message>
        <source>For the school administrator's PC (the school hub). You need the setup file the district office sent for your school.</source>
        <translation>用于学校管理员的电脑（学校主机）。需要区教育局为本校发来的设置文件。</translation>
    </message>
    <message>
        <source>Join this PC to the school (workstation setup file)</source>
        <translation>把本机加入学校（工作站设置文件）</translation>
    </message>
    <message>
        <source>For teachers' office PCs and the computer lab. The school administrator makes the workstation setup file with 添加工作站.</source>
        <translation>用于教师办公室电脑和机房电脑。工作站设置文件由学校管理员用“添加工作站”生成。</translation>
    </message>
    <message>
        <source>Open an existing database</source>
        <translation>打开已有数据库</translation>
    </message>
    <message>
        <source>A GrowthDesk database file already on this PC, e.g. after moving to a new computer.</source>
        <translation>本机上已有的 GrowthDesk 数据库文件，例如换了新电脑之后。</translation>
    </message>
    <message>
        <source>Set up a district education office (district database)</source>
        <translation>设立区教育局（区级数据库）</translation>
    </message>
    <message>
        <source>For the district office: register schools, give them their setup files, read the statistics.</source>
        <translation>用于区教育局：登记学校、发放设置文件、查看统计。</translation>
    </message>
    <message>
        <source>Open the demo school</source>
        <translation>打开演示学校</translation>
    </message>
    <message>
        <source>Made-up students and teachers to try everything out. Marked 演示数据 wherever it is open; never enter real pupils here.</source>
        <translation>虚构的学生和教师，用来试用各项功能。打开时处处标有“演示数据”；请勿在此录入真实学生。</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Open database</source>
        <translation>打开数据库</translation>
    </message>
    <message>
        <source>%1 is not a GrowthDesk database (it is empty or missing).</source>
        <translation>%1 不是 GrowthDesk 数据库（文件为空或不存在）。</translation>
    </message>
    <message>
        <source>Creating the demo school…</source>
        <translation>正在创建演示学校…</translation>
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
        <source>No. in class</source>
        <translation>学号/座号</translation>
    </message>
    <message>
        <source>e.g. 07 (optional)</source>
        <translation>如 07（选填）</translation>
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
    <message>
        <source>Photo</source>
        <translation>照片</translation>
    </message>
    <message>
        <source>A portrait for the portfolio's photo box (optional)</source>
        <translation>证件照，印在成长档案的照片栏（可不填）</translation>
    </message>
    <message>
        <source>Choose photo…</source>
        <translation>选择照片…</translation>
    </message>
    <message>
        <source>Images (*.jpg *.jpeg *.png *.bmp);;All files (*)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.bmp);;所有文件 (*)</translation>
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
        <source>Enrolment status</source>
        <translation>学籍状态</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>学号</translation>
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
        <source>No. in class</source>
        <translation>学号/座号</translation>
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
        <source>New…</source>
        <translation>新增…</translation>
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
        <source>Attach a file</source>
        <translation>添加文件作为佐证材料</translation>
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
    <name>StudentWindow</name>
    <message>
        <source>GrowthDesk — My growth records</source>
        <translation>GrowthDesk — 我的成长记录</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活动内容</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>时长（小时）</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Hrs</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Reviewer's note</source>
        <translation>老师的意见</translation>
    </message>
    <message>
        <source>My records this term (a teacher reviews each one you submit)</source>
        <translation>我的写实记录（提交后由老师审核）</translation>
    </message>
    <message>
        <source>My records</source>
        <translation>我的记录</translation>
    </message>
    <message>
        <source>Class publicity</source>
        <translation>班级公示</translation>
    </message>
    <message>
        <source>I confirm my term archive</source>
        <translation>确认本学期档案</translation>
    </message>
    <message>
        <source>Self record</source>
        <translation>写实记录</translation>
    </message>
    <message>
        <source>What did you do?</source>
        <translation>做了什么？</translation>
    </message>
    <message>
        <source>e.g. organiser, volunteer, member</source>
        <translation>如：组织者、志愿者、参与者</translation>
    </message>
    <message>
        <source>What did you learn? What would you do differently?</source>
        <translation>有什么收获？下次会怎样做得更好？</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>What</source>
        <translation>活动内容</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>My role</source>
        <translation>我的角色</translation>
    </message>
    <message>
        <source>Reflection</source>
        <translation>收获与反思</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Save draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <source>Submit for review</source>
        <translation>提交审核</translation>
    </message>
    <message>
        <source>Award</source>
        <translation>获奖</translation>
    </message>
    <message>
        <source>My award (with its certificate)</source>
        <translation>我的获奖（附证书）</translation>
    </message>
    <message>
        <source>Choose photo…</source>
        <translation>选择照片…</translation>
    </message>
    <message>
        <source>Submit award for review</source>
        <translation>提交审核</translation>
    </message>
    <message>
        <source>Competition</source>
        <translation>竞赛名称</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Prize</source>
        <translation>奖项</translation>
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
        <source>Awards at municipal level and above need the certificate number or its photo. Team awards are entered by your teacher.</source>
        <translation>市级及以上的获奖须填写证书编号或上传证书照片。团体获奖由老师录入。</translation>
    </message>
    <message>
        <source>During the publicity period the class's archive records are shown here. If one is wrong, select it and write your objection.</source>
        <translation>公示期间，本班入档记录显示在这里。如发现有误，请选中该条记录并写明异议。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>What is wrong with the selected record?</source>
        <translation>所选记录哪里有误？</translation>
    </message>
    <message>
        <source>Raise objection</source>
        <translation>提出异议</translation>
    </message>
    <message>
        <source>%1 of your records are in the class publicity.</source>
        <translation>你有 %1 条记录在班级公示中。</translation>
    </message>
    <message>
        <source>This record is %1 and can no longer be changed.</source>
        <translation>这条记录%1，不能再修改。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Your objection was recorded; the class adviser will look into it.</source>
        <translation>异议已登记，班主任会核实处理。</translation>
    </message>
    <message>
        <source>You confirmed your term archive.</source>
        <translation>你已确认本学期档案。</translation>
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
        <source>Double-click to insert; {name} becomes the student's name</source>
        <translation>双击插入；{姓名} 会换成该生姓名</translation>
    </message>
    <message>
        <source>New phrase, e.g. {name}学习认真，乐于助人。</source>
        <translation>新短语，如：{姓名}学习认真，乐于助人。</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Phrases</source>
        <translation>常用短语</translation>
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
        <source>%1 characters</source>
        <translation>已写 %1 字</translation>
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
        <source>Print class portfolios</source>
        <translation>打印本班成长档案</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全选</translation>
    </message>
    <message>
        <source>None</source>
        <translation>全不选</translation>
    </message>
    <message>
        <source>One PDF for the whole class</source>
        <translation>全班一个 PDF 文件</translation>
    </message>
    <message>
        <source>One PDF per student (into a folder)</source>
        <translation>每人一个 PDF 文件（存入文件夹）</translation>
    </message>
    <message>
        <source>Include the class summary sheet (for the school; leave it out of copies for parents)</source>
        <translation>包含班级汇总表（学校留存用；发给家长的不要勾选）</translation>
    </message>
    <message>
        <source>Duplex printing: each student starts on a new sheet (a blank page is added where needed)</source>
        <translation>双面打印：每名学生从新的一张纸开始（需要时补空白页）</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Students (%1 listed)</source>
        <translation>学生（共 %1 名）</translation>
    </message>
    <message>
        <source>%1 portfolios %2</source>
        <translation>%1成长档案 %2</translation>
    </message>
    <message>
        <source>Folder for the portfolios</source>
        <translation>成长档案保存到文件夹</translation>
    </message>
    <message>
        <source>Tick at least one student.</source>
        <translation>请至少勾选一名学生。</translation>
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
<context>
    <name>Workstations</name>
    <message>
        <source>Workstations of this school</source>
        <translation>本校工作站</translation>
    </message>
    <message>
        <source>Teachers' office PCs and the computer lab join the school as workstations: add one here, take its setup file to that PC (USB stick), and choose 把本机加入学校 there. Each PC then works offline and syncs through the sync folder.</source>
        <translation>教师办公室和机房的电脑以工作站身份加入学校：在这里添加，把生成的设置文件（用 U 盘）带到那台电脑，在那里选择“把本机加入学校”。之后每台电脑都可离线使用，并通过同步文件夹同步。</translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation>工作站</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Add workstation…</source>
        <translation>添加工作站…</translation>
    </message>
    <message>
        <source>Issue a new setup file…</source>
        <translation>重新签发设置文件…</translation>
    </message>
    <message>
        <source>Revoke key</source>
        <translation>吊销密钥</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>setup file issued, not joined yet</source>
        <translation>已发设置文件，尚未加入</translation>
    </message>
    <message>
        <source>joined</source>
        <translation>已加入</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>已吊销</translation>
    </message>
    <message>
        <source>Save the workstation setup file</source>
        <translation>保存工作站设置文件</translation>
    </message>
    <message>
        <source>Setup file (*.json)</source>
        <translation>设置文件 (*.json)</translation>
    </message>
    <message>
        <source>Revoke the key of {name} ({node})? Its bundles are refused from now on (a lost or stolen PC).</source>
        <translation>要吊销 {name}（{node}）的密钥吗？此后它的数据包都将被拒收（用于丢失或被盗的电脑）。</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>吊销</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The key of {node} is revoked.</source>
        <translation>{node} 的密钥已吊销。</translation>
    </message>
    <message>
        <source>Setup file of {name} ({node}) saved: {path}. Take it to that PC only; it holds a one-time key.</source>
        <translation>{name}（{node}）的设置文件已保存：{path}。文件内含一次性密钥，请只带到那台电脑。</translation>
    </message>
    <message>
        <source>Add workstation</source>
        <translation>添加工作站</translation>
    </message>
    <message>
        <source>Name of the PC</source>
        <translation>电脑名称</translation>
    </message>
    <message>
        <source>e.g. 机房01 or 初一年级办公室</source>
        <translation>如 机房01 或 初一年级办公室</translation>
    </message>
    <message>
        <source>Save setup file as</source>
        <translation>设置文件保存为</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>更改…</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Join this PC to the school</source>
        <translation>把本机加入学校</translation>
    </message>
    <message>
        <source>The school administrator made a workstation setup file for this PC (添加工作站). Choose it and the sync folder (a shared folder on the school network, or the USB stick).</source>
        <translation>学校管理员已为本机生成工作站设置文件（“添加工作站”）。请选择该文件和同步文件夹（校园网上的共享文件夹，或 U 盘）。</translation>
    </message>
    <message>
        <source>Workstation setup file</source>
        <translation>工作站设置文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Sync folder</source>
        <translation>同步文件夹</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>保存为</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>加入</translation>
    </message>
    <message>
        <source>Waiting for the school</source>
        <translation>等待学校数据</translation>
    </message>
    <message>
        <source>This PC has joined {school} as workstation {node}. The accounts and the school's records arrive from the school hub: sync the hub once (on the administrator's PC), then press Sync now here.</source>
        <translation>本机已作为工作站 {node} 加入 {school}。账户和学校数据将从学校主机传来：请先在管理员电脑上同步一次，再在这里点“立即同步”。</translation>
    </message>
    <message>
        <source>This PC's database is encrypted. Its recovery key opens it if every password is forgotten; print it or write it down and keep it locked away. It is shown only now:</source>
        <translation>本机数据库已加密。若所有密码都忘记，可用恢复密钥打开。请打印或抄下并锁好保管，它只在此时显示一次：</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>Choose the sync folder first.</source>
        <translation>请先选择同步文件夹。</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <source>Synced; the school has not arrived yet. Sync the hub, then try again.</source>
        <translation>已同步，但学校数据还没有到达。请先同步学校主机，然后再试。</translation>
    </message>
</context>
<context>
    <name>_SetupForm</name>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>Where the database file is kept on this PC</source>
        <translation>数据库文件在本机的保存位置</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>更改…</translation>
    </message>
    <message>
        <source>Save as</source>
        <translation>保存为</translation>
    </message>
    <message>
        <source>Save the database as</source>
        <translation>数据库保存为</translation>
    </message>
    <message>
        <source>First administrator (logs in with this password)</source>
        <translation>第一位管理员（用此密码登录）</translation>
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
        <source>at least 6 characters</source>
        <translation>至少 6 位</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>再次输入密码</translation>
    </message>
</context>
</TS>