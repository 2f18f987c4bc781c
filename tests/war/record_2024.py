"""What happened in 2024, and the naive forecast of it from 2023: the out-of-sample test's data.

SOURCES (observed 2024; none of these is used to calibrate the model, whose scenario is dated
21 December 2023):

- Russia's net territorial gain in Ukraine in 2024: about 3,600 km2 by DeepState, 3,985 km2 by an AFP
  analysis of ISW data to 30 December 2024 ("seven times more than in 2023"),
  https://www.lbcgroup.tv/news/world-news/827584/russia-advanced-nearly-4000-km2-in-ukraine-in-2024-afp-analyzing-isw/en
  (31 Dec 2024); the band as compiled in the project's research notes (war-termination.md, 2.3).
  Ukraine's area 603,628 km2.
- Russian casualties (killed and wounded) in 2024: 429,660, UK Ministry of Defence on Ukrainian
  General Staff data (against 252,940 in 2023), https://dv.is/frettir/2025/01/15/thrystingur-putin-hefur-aldrei-verid-verra
  (15 Jan 2025, reporting the UK Defence Intelligence update).

SOURCES (2023, the naive forecast; all published by the scenario's date or about 2023 only):

- Territory: Russia gained 857 km2 and Ukraine 370 km2 from January to September 2023 (NYT analysis
  of ISW data, TERR23/NYT_FRONT23 in the scenario); Ukraine's gains came in its counteroffensive,
  June-September (from about 4 June, NATION23). Monthly net change to Russia: January-May +95.2
  (857 / 9), June-September +95.2 - 92.5 (370 / 4) = +2.7: mean 54.1 km2 a month, sd 48.8 (n - 1).
  No monthly series of 2023 is in the scenario's sources; this split is the one the sourced totals
  allow.
- Casualties (the same Ukrainian General Staff basis as the 2024 figure): 108,920 by early January
  2023 (Newsweek, https://www.qa.newsweek.com/russia-counts-cost-bloody-ukraine-winter-donetsk-bakhmut-1771236)
  and 332,810 by 4 December 2023 (https://www.dagens.com/news/heavy-losses-for-putins-men): 223,890
  in 335 days, 20,320 a month (the UK MoD's 252,940 for the whole of 2023, published in January
  2024, is 21,078 a month); the costliest month, November 2023, averaged 931 a day, 27,930 a month
  (UK MoD, https://www.semafor.com/article/11/29/2023/ukraine-russia-war-updates-russia-suffers-worst-month-for-casualties-uk-says,
  29 Nov 2023). The month-to-month sd from the highest of twelve months, whose expectation is the
  mean plus 1.63 sd for a normal: (27,930 - 20,320) / 1.63 = 4,669.

The scenario's month 0 is 21 December 2023; its month 12, 21 December 2024, stands for the end of
2024 (the observed figures run to 30 or 31 December).
"""

from __future__ import annotations

UKRAINE_KM2 = 603_628

TERRITORY_2024_KM2 = (3_600.0, 3_985.0)
"""Russia's net gain of Ukraine's territory in 2024 (DeepState, ISW/AFP)."""

RUSSIAN_CASUALTIES_2024 = 429_660.0
"""Russian killed and wounded in 2024 by the Ukrainian General Staff's count (UK MoD)."""

TERRITORY_MONTHLY_2023 = (54.1, 48.8)
"""Mean and sd of the monthly net change of territory to Russia in 2023, km2 (derived above)."""

CASUALTIES_MONTHLY_2023 = (20_320.0, 4_669.0)
"""Mean and sd of Russia's monthly casualties in 2023 (derived above)."""
