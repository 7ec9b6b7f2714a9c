"""The county departments of the demo, and tasks each typically sends to communities."""

from __future__ import annotations

DEPARTMENTS: list[tuple[str, str]] = [
    ("ga", "公安局"),
    ("mz", "民政局"),
    ("wj", "卫健局"),
    ("cl", "残疾人联合会"),
    ("rs", "人社局"),
    ("yb", "医保局"),
]

TASK_TITLES: dict[str, tuple[str, ...]] = {
    "ga": ("流动人口信息登记", "人户分离人员核查", "反电信诈骗宣传进社区", "出租房屋安全检查"),
    "mz": ("低保户入户核查", "特困供养对象年度审核", "高龄津贴发放对象核实", "独居老人探访登记"),
    "wj": ("65岁以上老人健康体检通知", "家庭医生签约情况统计", "适龄儿童疫苗接种提醒"),
    "cl": ("残疾人两项补贴资格复核", "残疾人证到期换证提醒", "残疾人就业意愿调查"),
    "rs": ("城乡居民养老保险参保登记", "就业困难人员摸底", "退休人员养老金资格认证"),
    "yb": ("城乡居民医保缴费动员", "医保参保人员信息核对", "门诊慢特病待遇申报宣传"),
}
