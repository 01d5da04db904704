"""Plan metadata from the structures of the genre: a table of document heads (written for these tests)
and the plan fields each must give."""
from __future__ import annotations

import pytest

from govkg.loaders.pipeline import extract_file

BODY = "一、重点任务\n1.建设政务云平台。(牵头单位:省大数据局)\n"

HEADS = [
    # a notice title with the issuer, a document number under it, a signature and a date
    ("甘肃省人民政府办公厅关于印发甘肃省数字政府建设2024年工作要点的通知\n甘政办发〔2024〕12号\n各市州人民政府:\n"
     "《甘肃省数字政府建设2024年工作要点》已经省政府同意,现印发给你们。\n甘肃省人民政府办公厅\n2024年3月1日\n"
     "甘肃省数字政府建设2024年工作要点\n",
     {"title": "甘肃省数字政府建设2024年工作要点", "doc_number": "甘政办发〔2024〕12号", "issued": "2024-03-01",
      "jurisdiction": "甘肃省", "issuer": "甘肃省人民政府办公厅"}),
    # the notice title's issuer is not repeated above the date; the document number is not the issuer
    ("省人民政府办公厅关于印发安徽省数字政府建设实施方案的通知\n皖政办〔2023〕9号\n各市人民政府:\n"
     "《安徽省数字政府建设实施方案》已经省人民政府同意,现印发给你们。\n2023年5月6日\n安徽省数字政府建设实施方案\n",
     {"title": "安徽省数字政府建设实施方案", "doc_number": "皖政办〔2023〕9号", "issued": "2023-05-06",
      "jurisdiction": "安徽省", "issuer": "安徽省人民政府办公厅"}),
    # no title line: the title is the 《》 of the notice sentence, never the file name or the salutation
    ("市大数据中心、局机关各处室:\n现将《福州市数据局2025年重点任务》印发给你们,请认真抓好落实。\n",
     {"title": "福州市数据局2025年重点任务", "doc_number": None, "jurisdiction": "福州市"}),
    ("\n《数智云南建设2025年工作要点》已经省领导同意,现印发给你们,请认真抓好贯彻落实。\n",
     {"title": "数智云南建设2025年工作要点", "issuer": None, "issued": None}),
    # a title broken over two lines, and a notice sentence without a signature
    ("临沂市人民政府深化数字政府建设\n助推“数字临沂”高质量发展的实施意见\n各县区人民政府:\n为贯彻落实有关部署,制定本意见。\n",
     {"title": "临沂市人民政府深化数字政府建设助推“数字临沂”高质量发展的实施意见", "issuer": "临沂市人民政府",
      "jurisdiction": "临沂市"}),
    # a title printed twice on one line (a page header)
    ("潍坊市数字政府建设三年行动计划(2024-2026年) 潍坊市数字政府建设三年行动计划(2024-2026年) |\n为加快建设,制定本计划。\n",
     {"title": "潍坊市数字政府建设三年行动计划(2024-2026年)", "doc_number": None}),
    # a government site's metadata table: number, date and issuer from its fields; cited numbers are not its own
    ("索 引 号 | 0000/2023-001 | 分 类 | 政府办文件 |\n发布机构 | 德州市政府办 | 发文日期 | 2023-04-13 |\n"
     "文 号 | 德政办〔2023〕25号 | 时 效 | 有效 |\n各县(市、区)人民政府:\n"
     "为深入贯彻《国务院关于加强数字政府建设的指导意见》(国发〔2022〕14号),现提出如下要点。\n",
     {"doc_number": "德政办〔2023〕25号", "issued": "2023-04-13", "issuer": "德州市政府办", "title": None}),
    ("索引号: 0125/2023-142948 公开方式: 主动公开\n文号: 济政发〔2023〕8号 公开日期: 2023-02-11\n\n"
     "济南市人民政府关于深化数字政府建设的实施意见\n",
     {"doc_number": "济政发〔2023〕8号", "issued": None, "issuer": "济南市人民政府"}),
    # (此件公开发布) is not part of the title that follows it
    ("江西省人民政府办公厅关于印发江西省数字政府建设2024年工作要点的通知\n各设区市人民政府:\n现印发给你们。\n"
     "江西省人民政府办公厅\n2024年4月2日\n(此件公开发布)\n\n江西省数字政府建设2024年工作要点\n",
     {"title": "江西省数字政府建设2024年工作要点", "issuer": "江西省人民政府办公厅"}),
]


@pytest.mark.parametrize("head,expected", HEADS)
def test_plan_fields(tmp_path, head, expected):
    path = tmp_path / "plan.txt"
    path.write_text(head + BODY, encoding="utf-8")
    _, facts = extract_file(path)
    nodes = {n.id: n for n in facts.nodes}
    plan = next(n for n in facts.nodes if n.type == "Plan" and n.props.get("document") == "plan.txt")
    issuers = [nodes[e.target].name for e in facts.edges if e.type == "ISSUED_BY" and e.source == plan.id]
    for field, want in expected.items():
        got = (issuers[0] if issuers else None) if field == "issuer" else plan.props.get(field)
        assert got == want, field
