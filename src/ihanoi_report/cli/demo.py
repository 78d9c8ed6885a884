"""ihanoi-report demo: the whole cycle on the shipped samples, in a new folder."""

from pathlib import Path
from typing import Annotated

from ihanoi_report.cli import console
from ihanoi_report.cli.options import DIR, CampaignOpt, argument, bar
from ihanoi_report.errors import ExitCode
from ihanoi_report.messages import t

DirArg = Annotated[Path | None, argument("help-arg-demo-dir", DIR, file_okay=False)]


def demo(directory: DirArg = None, campaign: CampaignOpt = None) -> int:
    from ihanoi_report.office import DEFAULT_CAMPAIGN
    from ihanoi_report.office import demo as run_demo

    result = run_demo(directory, progress=bar("ingest-progress"), campaign=campaign or DEFAULT_CAMPAIGN)
    for number, batch in result.batches.items():
        console.say(t("demo-round", round=number, summary=console.batch_summary(batch)))
    if (chain := result.chain) is not None:
        console.say(t("demo-chain", files=len(chain.collected.files), path=chain.sent,
                      verdict=chain.received.verdict.label))
    console.render_consolidation(result.view.result, result.groups, result.whole, result.furthest_share)
    rnd = result.view.result.round.number
    console.success(t("demo-done", workspace=result.workspace, round=rnd, path=result.workbook))
    console.say(t("demo-pack", path=result.pack.folder))
    console.say(t("demo-ranking", path=result.ranking))
    console.notice(t("demo-next", round=rnd, workspace=result.workspace), style="")
    return ExitCode.OK
