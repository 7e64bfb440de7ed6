<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name />
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
        <source>Pick a term and a class (or a student) first.</source>
        <translation>请先选择学期和班级（或学生）。</translation>
    </message>
    <message>
        <source>Save term portfolios</source>
        <translation>保存学期成长档案</translation>
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
    <name>EvalGridView</name>
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
        <source>Arrows move · A/B/C/D set a level · Delete clears · Enter moves down · every change is saved at once</source>
        <translation>方向键移动 · A/B/C/D 设定等级 · Delete 清除 · Enter 下移 · 每次修改立即保存</translation>
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
        <translation>学段</translation>
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
        <translation>项目名称</translation>
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
    <name>dlg</name>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Class adviser of</source>
        <translation>担任班主任的班级</translation>
    </message>
</context>
</TS>