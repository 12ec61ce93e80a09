#!/usr/bin/env python3
"""Generate the nercourse mini corpus (synthetic, CoNLL-2003 *format* only).

Every sentence, template and name in this file was written for the course.
No text is taken from CoNLL-2003 or any other corpus.  The output is released
under CC0-1.0.

Usage (from the repository root):

    python tools/make_mini_corpus.py            # writes the corpus, prints stats
    python tools/make_mini_corpus.py --out DIR  # write somewhere else

The script is deterministic (fixed seeds, standard library only), so running
it twice produces byte-identical files.

Layout of each output file, as in the CoNLL-2003 distribution files:

    -DOCSTART- -X- -X- O
    <blank>
    word POS chunk NER        (one token per line, NER tags in IOB2)
    ...
    <blank>                   (after every sentence)

Design notes
------------
* Sentences come from ~135 hand-written templates with typed slots
  (``{PER}``, ``{CLUB}``, ``{CITY}``, ``{NAT}``, ...).  About a fifth of the
  templates are marked ``held_out`` and are only used for validation/test.
* Every name list is split three ways (train / validation / test).  Train only
  draws from its own lists; test draws from the test lists 85% of the time and
  validation from the validation lists 55% of the time, so most test entities
  were never seen in training and scores measure generalisation rather than
  memorisation.
* POS and chunk columns come from a small lexicon plus simple rules.  They are
  plausible but not gold-standard; the course only trains on the NER column.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

SEED = 1729
SPLIT_SEEDS = {"train": SEED, "validation": SEED + 1, "test": SEED + 2}
TARGET_SIZES = {"train": 600, "validation": 150, "test": 150}
# Sentence indices (0-based, per split) replaced by a long 60-90 token sentence.
LONG_AT = {"train": (57, 263, 488), "validation": (), "test": (96,)}
# Probability that a filler is drawn from the split's *own* name list
# (otherwise from the train list).
OWN_POOL_P = {"train": 1.0, "validation": 0.55, "test": 0.85}

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "notebooks" / "nercourse" / "mini_corpus"

# ---------------------------------------------------------------------------
# Name lists: {category: (train, validation, test)}
# ---------------------------------------------------------------------------


def _names(text: str) -> list[str]:
    """One name per line; blank lines and surrounding spaces ignored."""
    return [ln.strip() for ln in text.strip().splitlines() if ln.strip()]


def _words(text: str) -> list[str]:
    return text.split()


POOLS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "first": (
        _words(
            "Anna Marco Lena Tomasz Sofia Daniel Yuki Ahmed Clara Pieter Ingrid "
            "Rafael Nadia Oliver Mei Kofi Elena Lucas Amara Henrik Priya Mateo "
            "Freya Dmitri Aisha Jonas Beatriz Samuel Keiko Omar Greta Felipe "
            "Hannah Viktor Leila Thomas Zoë José Anne-Marie Sean Chiara Emeka "
            "Paulo Ruth Kenji Agnieszka Martin Sara Björn Farah"
        ),
        _words(
            "Ilse Rohan Carmen Nikolai Esther Tariq Marta Hugo Yasmin Pablo "
            "Lotte Ivan Naomi Arjun Céline Bruno Hana Stefan Noor Emil"
        ),
        _words(
            "Bogdan Inês Kwame Astrid Luca Soraya Matthias Nkechi Rui Elif "
            "Gunnar Adaeze Florian Mariko Santiago Katya Desmond Lucía Tobias "
            "Amira Jean-Luc Hedda Raúl Svetlana Idris Maren Cormac Paloma "
            "Wojciech Thandiwe"
        ),
    ),
    "last": (
        _names(
            """
            Müller
            Rossi
            Kowalski
            Haddad
            Nakamura
            Okafor
            Lindqvist
            Ferreira
            Novak
            Brennan
            Petrov
            Castillo
            Dubois
            Mensah
            Tanaka
            Schreiber
            Moreau
            Kaplan
            Bianchi
            Osei
            Hansen
            Costa
            Weber
            Sato
            Gallagher
            Núñez
            Fischer
            Andersen
            Popescu
            Mahlangu
            Horvath
            Eriksen
            Silva
            Chen
            Rahman
            Duarte
            Kessler
            O'Neill
            Yilmaz
            Varga
            Nyström
            Lefèvre
            Bauer
            Marchetti
            Oyelaran
            Sørensen
            Delgado
            Whitfield
            van Dalen
            """
        ),
        _names(
            """
            Keller
            Romano
            Wiśniewski
            Aziz
            Hayashi
            Adeyemi
            Holm
            Pereira
            Dvořák
            Quinn
            Volkov
            Ortega
            Laurent
            Boateng
            Ito
            Vogel
            Greco
            Mwangi
            Berg
            de Vries
            """
        ),
        _names(
            """
            Zimmermann
            Esposito
            Lewandowska
            Karimi
            Fujita
            Eze
            Sandberg
            Carvalho
            Horáček
            Doyle
            Sokolov
            Medina
            Fontaine
            Asante
            Mori
            Krüger
            Rinaldi
            Kariuki
            Lund
            van der Berg
            Çelik
            Halvorsen
            Obi
            Szabó
            Whitaker
            Ramírez
            Ólafsson
            Kovač
            Barros
            Mbatha
            """
        ),
    ),
    "club": (
        _names(
            """
            Redcastle United
            Port Alder
            Kingsbridge Rovers
            Sporting Valmera
            Dynamo Kresk
            Atletico Sorena
            FC Lindholm
            Olympia Tessa
            Real Cordana
            Rot-Weiss Halden
            Ashby Town
            Northgate City
            Vilnor Athletic
            Racing Tolosa
            Bellmont Wanderers
            Estrela Dourada
            Union Marsk
            Harwick Albion
            Partizan Drevo
            Lokomotiv Sarny
            """
        ),
        _names(
            """
            Fenwick Rangers
            Sporting Calvera
            Dinamo Ostra
            Brookfield Town
            AC Verrona
            Eintracht Hollen
            Westmere United
            Deportivo Arana
            """
        ),
        _names(
            """
            Saltmarsh Athletic
            Inter Valdona
            Stella Rossa Pieve
            Carrow Rovers
            Spartak Belov
            Hallam Forest
            Nordby IF
            Unión Casares
            Thornbury Town
            Olimpia Duna
            FK Zeleni
            Riverside Harriers
            """
        ),
    ),
    "company": (
        _names(
            """
            Halden Steel Corp.
            Brightwater Holdings
            Norvik Telecom
            Caledra Airlines
            Sunfield Motors
            Kestrel Energy Ltd
            Orlan Pharma
            Tavira Foods
            Mirano Group
            Bluefin Shipping
            Arkwell Systems Inc.
            Pelican Insurance
            Greystone Mining
            Lumo Electronics
            Corvid Software
            Hartmann & Sohn
            Quill Media
            Zephyr Rail
            Ostrel Glassworks
            Vantara
            """
        ),
        _names(
            """
            Saffron Retail
            Tidewell Energy
            Marlow Chemicals Co.
            Oakridge Capital
            Nimbus Aerospace
            Velta Motors
            Granite Peak Holdings
            Solenne Cosmetics
            """
        ),
        _names(
            """
            Irongate Logistics
            Meridian Cables Corp.
            Pallas Biotech
            Cormorant Air
            Redfern Brewing
            Atlasco Cement
            Kaito Instruments
            Silverline Telecom
            Harbourview Properties
            Novalis Steel
            Brisa Textiles
            Dunmore Foods Ltd
            """
        ),
    ),
    "bank": (
        _names(
            """
            Bank of Eastmoor
            Central Bank of Valmera
            Reserve Bank
            """
        ),
        _names(
            """
            Bank of Westhaven
            Federal Monetary Board
            """
        ),
        _names(
            """
            Bank of Carrowdale
            National Reserve Fund
            Monetary Authority of Duna
            """
        ),
    ),
    "agency": (
        _names(
            """
            National Statistics Office
            Central Weather Service
            Interior Ministry
            Finance Ministry
            Meteorological Institute
            Civil Aviation Authority
            """
        ),
        _names(
            """
            Federal Audit Office
            Coastal Rescue Agency
            Energy Ministry
            """
        ),
        _names(
            """
            State Weather Bureau
            Health Ministry
            Transport Authority
            Office for Fair Trading
            """
        ),
    ),
    "party": (
        _names(
            """
            Green Reform Party
            National Liberal Union
            Social Justice Party
            Christian Centre
            Labour Front
            """
        ),
        _names(
            """
            Progressive Farmers Party
            Democratic Renewal
            """
        ),
        _names(
            """
            Civic Renewal Party
            People 's Unity Party
            New Horizon Movement
            Free Citizens
            """
        ),
    ),
    "intl": (
        _names(
            """
            United Nations
            U.N.
            Red Crescent
            World Food Programme
            """
        ),
        _names(
            """
            World Health Organisation
            Northern Trade Council
            """
        ),
        _names(
            """
            Atlantic Fisheries Commission
            Union of Coastal States
            International Monitoring Group
            """
        ),
    ),
    "media": (
        _names(
            """
            Eastmoor Herald
            Radio Kresk
            Evening Courier
            Valmera Times
            """
        ),
        _names(
            """
            Westhaven Gazette
            Channel Nine
            """
        ),
        _names(
            """
            Daily Lantern
            Nordby Post
            Radio Casares
            """
        ),
    ),
    "country": (
        _names(
            """
            Germany
            Brazil
            France
            Japan
            Nigeria
            Sweden
            Italy
            Poland
            Canada
            Egypt
            India
            Spain
            Kenya
            Norway
            Chile
            U.S.
            Turkey
            Greece
            Vietnam
            Australia
            Ireland
            Portugal
            """
        ),
        _names(
            """
            Austria
            Mexico
            Ghana
            Finland
            Peru
            South Korea
            Belgium
            Morocco
            """
        ),
        _names(
            """
            Denmark
            Argentina
            Hungary
            Indonesia
            Colombia
            Czech Republic
            New Zealand
            Senegal
            Croatia
            Iceland
            U.K.
            Philippines
            Romania
            Tunisia
            """
        ),
    ),
    "city": (
        _names(
            """
            Valmera
            Kresk
            Sorena
            Lindholm
            Cordana
            Halden
            Ashby
            Northgate
            New South Harbour
            St. Aldric
            Port Elspeth
            Marrowby
            Tessaloa
            Drevo
            Sarny
            Bellmont
            Lyon
            Osaka
            Lagos
            Gothenburg
            Krakow
            Montreal
            Mumbai
            Seville
            Mombasa
            Bergen
            Porto
            Melbourne
            """
        ),
        _names(
            """
            Fenwick
            Calvera
            Ostra
            Westhaven
            Brookfield
            Verrona
            Santa Lucina
            Graz
            Accra
            Tampere
            Cusco
            Ghent
            """
        ),
        _names(
            """
            Saltmarsh
            Valdona
            Pieve Alta
            Carrowdale
            Belov
            Nordby
            Casares
            Thornbury
            Duna Vecchia
            East Kilbarron
            Aarhus
            Rosario
            Debrecen
            Surabaya
            Medellín
            Brno
            Dunedin
            Dakar
            Zadar
            San Telmo Bay
            """
        ),
    ),
    "region": (
        _names(
            """
            Northern Province
            Westmark
            Kessel Highlands
            Bavaria
            Patagonia
            Andalusia
            Upper Ardent
            """
        ),
        _names(
            """
            Tyrol
            Southern Plains
            Marrow Coast
            """
        ),
        _names(
            """
            Gallowmoor
            Transdania
            Silesia
            High Karst
            Western Fjords
            Lower Sava Valley
            """
        ),
    ),
    "river": (
        _names(
            """
            Alder River
            River Tamsin
            Danube
            Rhine
            Vessa
            """
        ),
        _names(
            """
            Loire
            River Calder
            """
        ),
        _names(
            """
            Morava
            Sable River
            Orla
            """
        ),
    ),
    "nat": (
        _words(
            "German Brazilian French Japanese Nigerian Swedish Italian Polish "
            "Canadian Egyptian Indian Spanish Kenyan Norwegian Chilean American "
            "Turkish Greek Australian Irish Portuguese"
        ),
        _words("Austrian Mexican Ghanaian Finnish Peruvian Belgian Moroccan Korean"),
        _words(
            "Danish Argentine Hungarian Indonesian Colombian Czech Senegalese "
            "Croatian Icelandic British Filipino Romanian Tunisian Dutch"
        ),
    ),
    "event": (
        _names(
            """
            Northern Cup
            Harbour Open
            Valmera Marathon
            Tour of Kessel
            Continental Championship
            Grand Prix of Halden
            Alpine Classic
            World Cup
            """
        ),
        _names(
            """
            Westhaven Open
            Coastal Games
            Ostra Marathon
            Pan-Northern Cup
            """
        ),
        _names(
            """
            Saltmarsh Classic
            Baltic Rally
            Carrowdale Open
            Island Games
            Southern Cross Regatta
            Summit Cup
            """
        ),
    ),
    "fest": (
        _names(
            """
            Halden Film Festival
            Summer Jazz Week
            Marrowby Book Fair
            """
        ),
        _names(
            """
            Verrona Film Festival
            Winter Light Festival
            """
        ),
        _names(
            """
            Nordby Music Festival
            Thornbury Arts Fortnight
            Casares Carnival
            """
        ),
    ),
    "award": (
        _names(
            """
            Golden Lantern
            Marrowby Prize
            Silver Harp
            """
        ),
        _names(
            """
            Silver Quill
            Verrona Prize
            """
        ),
        _names(
            """
            Crystal Reel
            Duna Medal
            Bronze Owl
            """
        ),
    ),
    "lang": (
        _words("English Portuguese Arabic Swahili Mandarin Hindi Polish Japanese"),
        _words("Finnish Catalan Hausa"),
        _words("Danish Hungarian Icelandic Basque Yoruba Tamil"),
    ),
    "prod": (
        _names(
            """
            Zenith X2
            Aurora
            Tempo Sport
            Nova Lite
            """
        ),
        _names(
            """
            Orbit Pro
            Velta Breeze
            """
        ),
        _names(
            """
            Falcon GT
            Pulse
            Echo Max
            """
        ),
    ),
    "title": (
        _names(
            """
            The Silent Harbour
            Winter Roads
            A Map of Salt
            Glass Orchard
            """
        ),
        _names(
            """
            Lanterns in the Rain
            Paper Bridges
            """
        ),
        _names(
            """
            The Last Ferry
            Copper Sky
            Letters from Duna
            """
        ),
    ),
}

SPLIT_INDEX = {"train": 0, "validation": 1, "test": 2}

# slot -> (pool category, NER type, rendering)
#   rendering: "plain", "upper", "sur", "sur_upper", "full", "based", "born"
ENTITY_SLOTS: dict[str, tuple[str, str, str]] = {
    "PER": ("person", "PER", "full"),
    "SUR": ("person", "PER", "sur"),
    "SUR_U": ("person", "PER", "sur_upper"),
    "CLUB": ("club", "ORG", "plain"),
    "CLUB_U": ("club", "ORG", "upper"),
    "COMP": ("company", "ORG", "plain"),
    "COMP_U": ("company", "ORG", "upper"),
    "BANK": ("bank", "ORG", "plain"),
    "AGENCY": ("agency", "ORG", "plain"),
    "PARTY": ("party", "ORG", "plain"),
    "INTL": ("intl", "ORG", "plain"),
    "MEDIA": ("media", "ORG", "plain"),
    "COUNTRY": ("country", "LOC", "plain"),
    "COUNTRY_U": ("country", "LOC", "upper"),
    "CITY": ("city", "LOC", "plain"),
    "CITY_U": ("city", "LOC", "upper"),
    "REGION": ("region", "LOC", "plain"),
    "REGION_U": ("region", "LOC", "upper"),
    "RIVER": ("river", "LOC", "plain"),
    "NAT": ("nat", "MISC", "plain"),
    "NAT_U": ("nat", "MISC", "upper"),
    "NATBORN": ("nat", "MISC", "born"),
    "CITYBASED": ("city1", "MISC", "based"),
    "EVENT": ("event", "MISC", "plain"),
    "EVENT_U": ("event", "MISC", "upper"),
    "FEST": ("fest", "MISC", "plain"),
    "AWARD": ("award", "MISC", "plain"),
    "LANG": ("lang", "MISC", "plain"),
    "PROD": ("prod", "MISC", "plain"),
    "TITLE": ("title", "MISC", "plain"),
}

# Single-token cities (for "X-based").
POOLS["city1"] = tuple([c for c in lst if " " not in c and "." not in c] for lst in POOLS["city"])  # type: ignore[assignment]

DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = ("January February March April May June July August September October November December").split()

# ---------------------------------------------------------------------------
# Templates.  (topic, held_out, text).  Tokens are separated by single spaces.
# topics: sport, politics, business, weather, culture, general;
# *_head = all-caps headline for that topic.
# ---------------------------------------------------------------------------

TEMPLATES: list[tuple[str, bool, str]] = [
    # ---- sport -----------------------------------------------------------
    ("sport", False, "{CLUB} beat {CLUB} {SCORE} on {DAY} ."),
    ("sport", False, "{PER} scored twice as {CLUB} won {SCORE} at home to {CLUB} ."),
    ("sport", False, "{CLUB} {G} {CLUB} {G}"),
    ("sport", False, "{SUR} , who joined {CLUB} from {CLUB} last season , was sent off after {N2} minutes ."),
    ("sport", False, "Half-time {SCORE} ."),
    ("sport", False, "Attendance : {BIG} ."),
    ("sport", False, "{RANK} {PER} ( {COUNTRY} ) {TIME}"),
    ("sport", False, "{CLUB} coach {PER} said his side deserved the win ."),
    ("sport", False, '" We were not good enough today , " said {SUR} .'),
    ("sport", False, "{PER} of {COUNTRY} and {PER} of {COUNTRY} will meet in the semi-finals ."),
    ("sport", False, "{NAT} {PER} won the {EVENT} on {DAY} , finishing {N2} seconds ahead of {PER} ."),
    ("sport", False, "The {EVENT} will be held in {CITY} , {COUNTRY} , next year ."),
    ("sport", False, "{SUR} , {SUR} and {SUR} were left out of the squad for the match against {COUNTRY} ."),
    ("sport", False, "{SUR} wins again ."),
    ("sport", False, "{PER} took the overall lead|NN after stage {N2} of the {EVENT} ."),
    ("sport", False, "{CLUB} 's {NAT} striker {PER} will miss {N} weeks with a knee injury ."),
    ("sport", False, "{COUNTRY} won the toss and chose to bat first in {CITY} ."),
    ("sport", False, "{PER} , the {NAT} champion , announced her retirement on {DAY} ."),
    ("sport", False, "The {NATBORN} midfielder has signed a three-year contract with {CLUB} ."),
    ("sport", False, "{CLUB} remain top of the table , {N} points clear of {CLUB} ."),
    ("sport", False, "Both teams finished with ten men ."),
    ("sport", False, "{SUR} equalised with {N} minutes left before {SUR} headed the winner in stoppage time ."),
    ("sport", False, "{CLUB} ( {COUNTRY} ) drew {DSCORE} with {CLUB} ( {COUNTRY} ) in the first|JJ leg ."),
    ("sport", False, "{PER} ( {COUNTRY} ) beat {PER} ( {COUNTRY} ) {TSCORE} {TSCORE}"),
    ("sport", False, "Scorers : {SUR} , {SUR} , {SUR}"),
    ("sport", False, "Referee : {PER}"),
    ("sport", False, "{NAT} {PER} set a new course record of {TIME} in {CITY} ."),
    ("sport", False, "Rain stopped play shortly after lunch ."),
    (
        "sport",
        False,
        "{CLUB} , who have now won {N} of their last {N2} matches , moved up to second place after {PER} and {SUR} scored in the first|JJ half against {CLUB} in {CITY} .",
    ),
    (
        "sport",
        True,
        '" It was a difficult game and we are happy with a point , " {CLUB} coach {PER} told reporters after the {DSCORE} draw with {CLUB} in {CITY} .',
    ),
    ("sport", True, "{PER} , a {AGE} from {CITY} , was the surprise winner of the {EVENT} ."),
    ("sport", True, "Playing in front of {BIG} fans in {CITY} , {CLUB} needed extra time to beat {CLUB} ."),
    ("sport", True, "{NAT} and {NAT} riders dominated the {EVENT} , taking {N} of the top ten places ."),
    ("sport", True, "{CLUB} confirmed that {PER} had left the club by mutual consent ."),
    ("sport", True, "Goalkeeper {PER} saved two penalties ."),
    ("sport", True, "Red card : {SUR} ( {CLUB} ) {N2}"),
    ("sport_head", False, "SOCCER - RESULTS OF {NAT_U} LEAGUE MATCHES ."),
    ("sport_head", False, "TENNIS - {SUR_U} BEATS {SUR_U} TO REACH {CITY_U} FINAL ."),
    ("sport_head", False, "CRICKET - {COUNTRY_U} BEAT {COUNTRY_U} BY {N} WICKETS ."),
    ("sport_head", False, "GOLF - {SUR_U} LEADS BY {N} SHOTS IN {CITY_U} ."),
    ("sport_head", False, "CYCLING - {SUR_U} WINS STAGE {N2} OF {EVENT_U} ."),
    ("sport_head", False, "SOCCER - {CLUB_U} SACK COACH AFTER {SCORE} DEFEAT ."),
    ("sport_head", False, "SOCCER - LEAGUE STANDINGS ."),
    ("sport_head", True, "ATHLETICS - {NAT_U} RELAY TEAM SETS RECORD ."),
    ("sport_head", True, "RUGBY - {COUNTRY_U} NAME SQUAD FOR {EVENT_U} ."),
    # ---- politics --------------------------------------------------------
    ("politics", False, "{COUNTRY} 's prime minister , {PER} , arrived in {CITY} on {DAY} for two days of talks ."),
    ("politics", False, "The {PARTY} won {N2} of the {N3} seats in {REGION} ."),
    ("politics", False, "{PER} , leader of the {PARTY} , called for early elections ."),
    ("politics", False, "Officials from {COUNTRY} and {COUNTRY} met in {CITY} to discuss the border dispute ."),
    ("politics", False, '" This is a historic day for {COUNTRY} , " {PER} told reporters .'),
    ("politics", False, "Mr. {SUR} denied the reports ."),
    ("politics", False, "{PER} , a former {NAT} diplomat , was named ambassador to {COUNTRY} ."),
    ("politics", False, "Thousands of protesters gathered outside parliament in {CITY} on {DAY} ."),
    ("politics", False, "Voters in {REGION} go to the polls on {DAY} ."),
    ("politics", False, "The {NAT} government rejected the proposal as unworkable ."),
    ("politics", False, "{AGENCY} spokeswoman {PER} declined to comment ."),
    ("politics", False, "Opposition leader {PER} ( {PARTY} ) said the vote had been rigged ."),
    ("politics", False, "The talks , brokered by the {INTL} , ended without agreement late on {DAY} ."),
    ("politics", False, "Elections were postponed until {MONTH} ."),
    ("politics", False, "{COUNTRY} recalled its ambassador from {COUNTRY} after the incident ."),
    ("politics", False, "{PER} told the {MEDIA} that the {PARTY} would not join the coalition ."),
    ("politics", False, "Gen. {SUR} said troops would withdraw from {REGION} by {MONTH} ."),
    ("politics", False, "The {INTL} has sent {N2} observers to monitor the vote in {COUNTRY} ."),
    ("politics", False, "The bill passed by {N3} votes to {N3} ."),
    (
        "politics",
        False,
        "{PER@a} was elected mayor of {CITY@c} in {YEAR} ; {SUR@a} has lived in {CITY@c} all his life .",
    ),
    (
        "politics",
        False,
        "{PER} , the {NAT} foreign minister , said on {DAY} that talks with {COUNTRY} and {COUNTRY} on the future of {REGION} would resume in {CITY} next week , but gave no further details .",
    ),
    ("politics", True, "In {CITY} , {PER} told supporters the {PARTY} would fight on ."),
    ("politics", True, "{PARTY} and {PARTY} signed|VBD a coalition deal on {DAY} ."),
    ("politics", True, "Speaking in {LANG} , the minister thanked {NAT} and {NAT} volunteers ."),
    ("politics", True, "{COUNTRY} , {COUNTRY} and {COUNTRY} backed the resolution , while {COUNTRY} abstained ."),
    ("politics", True, "No date has been set for the next round ."),
    ("politics_head", False, "{COUNTRY_U} SAYS TALKS WITH {COUNTRY_U} MAKING PROGRESS ."),
    ("politics_head", False, "{NAT_U} PRESIDENT TO VISIT {CITY_U} ."),
    ("politics_head", True, "ELECTION RESULT DELAYED IN {REGION_U} ."),
    # ---- business --------------------------------------------------------
    ("business", False, "{COMP} said net profit rose {PCT} percent to {N3} million dollars ."),
    ("business", False, "Shares in {COMP} fell {PCT} percent in {CITY} on {DAY} ."),
    ("business", False, "The {CITYBASED} company employs about {BIG} people ."),
    ("business", False, "{COMP} agreed to buy {COMP} for {N2} million euros ."),
    ("business", False, "{PER} , chief executive of {COMP} , will step down in {MONTH} ."),
    ("business", False, "{COMP} , {COMP} and {COMP} all reported weaker sales in {COUNTRY} ."),
    ("business", False, "The {NAT} carmaker will launch its new {PROD} model in {CITY} next month ."),
    ("business", False, "Analysts at {COMP} expect the central bank to cut rates ."),
    ("business", False, "Trading was thin ahead of the holiday ."),
    ("business", False, "The {BANK} kept its key interest rate at {PCT} percent ."),
    ("business", False, "{COMP} 's {PROD} sold {BIG} units in its first|JJ week ."),
    ("business", False, "Oil prices rose sharply on {DAY} ."),
    ("business", False, "{COMP} ( {COUNTRY} ) said it would cut {BIG} jobs ."),
    ("business", False, "The {AGENCY} said inflation slowed to {PCT} percent in {MONTH} ."),
    ("business", False, "{BANK} governor {PER} warned that growth would remain weak ."),
    ("business", False, "Dealers said the market was waiting for {NAT} trade figures due on {DAY} ."),
    (
        "business",
        False,
        "{COMP} , which also owns {COMP} and a {N2} percent stake in the {CITYBASED} group {COMP} , said first-half sales in {COUNTRY} and {COUNTRY} were hit|VBN by a strike at its plant near {CITY} .",
    ),
    ("business", True, "Earlier this year , {COMP} moved its headquarters from {CITY} to {CITY} ."),
    ("business", True, "According to the {MEDIA} , {COMP} is in talks with {NAT} investors ."),
    ("business", True, "{PER} and {PER} founded the {CITYBASED} start-up in {YEAR} ."),
    ("business_head", False, "{COMP_U} PROFIT UP {PCT} PCT ."),
    ("business_head", False, "{NAT_U} STOCKS CLOSE LOWER ."),
    ("business_head", True, "{COMP_U} TO SHED {BIG} JOBS ."),
    # ---- weather ---------------------------------------------------------
    ("weather", False, "Heavy rain caused flooding along the {RIVER} near {CITY} ."),
    ("weather", False, "Temperatures in {REGION} reached {N2} degrees on {DAY} ."),
    ("weather", False, "The {AGENCY} issued a storm warning for {REGION} and {REGION} ."),
    ("weather", False, "Snow closed roads across northern {COUNTRY} ."),
    ("weather", False, "Forecasters expect dry weather for the rest of the week ."),
    ("weather", False, "The {RIVER} burst its banks , forcing {BIG} people from their homes in {CITY} ."),
    ("weather", False, "Strong winds cut|VBD power to {BIG} homes in {CITY} and {CITY} , officials said ."),
    ("weather", False, "It was the hottest {MONTH} on record ."),
    (
        "weather",
        True,
        "Officials in {REGION} said the {RIVER} had risen by more than two metres overnight and that {BIG} people in {CITY} , {CITY} and nearby villages had been told to leave their homes .",
    ),
    ("weather", True, "Fog delayed flights at {CITY} airport for several hours ."),
    ("weather", True, "A heatwave gripping {COUNTRY} is expected to ease by {DAY} , the {AGENCY} said ."),
    ("weather_head", False, "FLOODS HIT {REGION_U} ."),
    ("weather_head", True, "STORM WARNING FOR {COUNTRY_U} COAST ."),
    # ---- culture ---------------------------------------------------------
    ("culture", False, '{PER} \'s new novel , " {TITLE} " , has been translated into {LANG} and {LANG} .'),
    ("culture", False, "The film , directed by {PER} , will open the {FEST} in {CITY} ."),
    ("culture", False, "{NAT} singer {PER} will perform at the {FEST} ."),
    ("culture", False, "The museum in {CITY} reopened after a two-year renovation ."),
    ("culture", False, '{PER} won the {AWARD} for her role in " {TITLE} " .'),
    ("culture", False, "The exhibition , which moves to {CITY} in {MONTH} , features {N2} paintings by {PER} ."),
    ("culture", False, "Born in {CITY} , {PER} studied music in {CITY} and {CITY} ."),
    ("culture", False, "The {NATBORN} conductor {PER} will lead the orchestra on its {NAT} tour ."),
    ("culture", False, "The book has been translated into {N2} languages ."),
    ("culture", False, "Tickets sold out within minutes ."),
    ("culture", False, "The {FEST} drew a record|JJ {BIG} visitors this year ."),
    ("culture", False, "{SUR} 's opera will be sung in {LANG} with {LANG} subtitles ."),
    (
        "culture",
        True,
        "The {FEST} , which opens in {CITY} on {DAY} , will show {N2} films from {N2} countries , including new work by {NAT} director {PER} and the {NAT} writer {PER} .",
    ),
    ("culture", True, '" {TITLE} " , a documentary about {REGION} , won the audience prize .'),
    ("culture", True, "Critics praised {PER} 's performance in the {LANG} version of the play ."),
    ("culture_head", False, "{NAT_U} AUTHOR WINS {AWARD_U} ."),
    # ---- general (mixed into every topic) --------------------------------
    ("general", False, "Police in {CITY} arrested {N} men on {DAY} ."),
    ("general", False, "{N2} people were injured when a bus overturned near {CITY} , {COUNTRY} ."),
    ("general", False, "The {INTL} said aid would reach {REGION} within days ."),
    ("general", False, "Nobody was hurt ."),
    ("general", False, "More details were not immediately available ."),
    ("general", False, "The report was first published by the {MEDIA} ."),
    ("general", False, "The {AGENCY} said the figures were provisional ."),
    ("general", False, "{PER} , {N2} , was taken to hospital in {CITY} ."),
    (
        "general",
        False,
        "{PER} , a {AGE} teacher from {CITY} , and her brother {PER} were among {N2} people rescued on {DAY} after their boat lost power off the coast of {COUNTRY} , the {AGENCY} said .",
    ),
    ("general", True, "A spokesman for the {AGENCY} in {CITY} confirmed the report ."),
    ("general", True, "{US} and {NAT} officials are expected to meet again in {MONTH} ."),
]
ENTITY_SLOTS["AWARD_U"] = ("award", "MISC", "upper")
ENTITY_SLOTS["US"] = ("usa", "LOC", "plain")
POOLS["usa"] = (["U.S."], ["U.S."], ["U.S."])

DATELINE = "{CITY_U} {DATE}"

TOPIC_WEIGHTS = [
    ("sport", 36),
    ("politics", 20),
    ("business", 20),
    ("weather", 10),
    ("culture", 14),
]

# ---------------------------------------------------------------------------
# POS lexicon (Penn tags) for the literal words in the templates.
# ---------------------------------------------------------------------------

_LEX = """
the/DT a/DT an/DT all/DT both/DT no/DT this/DT
of/IN in/IN on/IN at/IN from/IN by/IN for/IN with/IN after/IN before/IN
against/IN near/IN into/IN about/IN outside/IN across/IN within/IN
until/IN while/IN that/IN as/IN according/VBG ahead/RB along/IN since/IN
to/TO and/CC or/CC
his/PRP$ her/PRP$ its/PRP$ their/PRP$ it/PRP we/PRP
who/WP which/WDT when/WRB
will/MD would/MD
is/VBZ was/VBD were/VBD has/VBZ had/VBD have/VBP been/VBN be/VB
said/VBD told/VBD beat/VBD won/VBD scored/VBD joined/VBD sent/VBN
drew/VBD took/VBD set/VBD stopped/VBD saved/VBD confirmed/VBD left/VBN
taking/VBG needed/VBD dominated/VBD playing/VBG finishing/VBG
headed/VBD equalised/VBD signed/VBN remain/VBP finished/VBD chose/VBD
bat/VB meet/VB miss/VB announced/VBD wins/VBZ
arrived/VBD called/VBD met/VBD discuss/VB denied/VBD named/VBN
gathered/VBD go/VBP rejected/VBD declined/VBD comment/VB brokered/VBN
ended/VBD postponed/VBN recalled/VBD join/VB withdraw/VB monitor/VB
passed/VBD elected/VBN lived/VBN fight/VB backed/VBD abstained/VBD
thanked/VBD speaking/VBG
rose/VBD fell/VBD employs/VBZ agreed/VBD buy/VB step/VB reported/VBD
launch/VB expect/VBP cut/VB kept/VBD sold/VBD slowed/VBD warned/VBD
waiting/VBG moved/VBD founded/VBD
caused/VBD reached/VBD issued/VBD closed/VBD burst/VBD forcing/VBG
gripping/VBG expected/VBN ease/VB delayed/VBD
translated/VBN directed/VBN open/VB perform/VB reopened/VBD moves/VBZ
features/VBZ studied/VBD lead/VB sung/VBN drew/VBD praised/VBD
arrested/VBD injured/VBN overturned/VBD reach/VB hurt/VBN published/VBN
taken/VBN
set/VBN left/VBD
down/RP
twice/RB again/RB first/RB not/RB immediately/RB sharply/RB shortly/RB
late/RB earlier/RB next/JJ off/RB
home/NN side/NN win/NN season/NN minutes/NNS minute/NN semi-finals/NNS
seconds/NNS lead/NN stage/NN striker/NN weeks/NNS knee/NN injury/NN
toss/NN champion/NN retirement/NN midfielder/NN three-year/JJ contract/NN
top/NN table/NN points/NNS teams/NNS ten/CD men/NNS winner/NN
stoppage/NN time/NN leg/NN scorers/NNS referee/NN course/NN record/NN
rain/NN play/NN lunch/NN surprise/NN fans/NNS extra/JJ riders/NNS
places/NNS club/NN mutual/JJ consent/NN goalkeeper/NN two/CD penalties/NNS
red/JJ card/NN squad/NN match/NN half-time/NN attendance/NN coach/NN
good/JJ enough/RB today/NN overall/JJ new/JJ year/NN
prime/JJ minister/NN days/NNS talks/NNS seats/NNS leader/NN early/JJ
elections/NNS officials/NNS border/NN dispute/NN historic/JJ day/NN
reporters/NNS mr./NNP reports/NNS former/JJ diplomat/NN ambassador/NN
thousands/NNS protesters/NNS parliament/NN voters/NNS polls/NNS
government/NN proposal/NN unworkable/JJ spokeswoman/NN opposition/NN
vote/NN rigged/VBN agreement/NN incident/NN coalition/NN gen./NNP
troops/NNS observers/NNS bill/NN votes/NNS mayor/NN life/NN
supporters/NNS deal/NN volunteers/NNS resolution/NN date/NN round/NN
net/JJ profit/NN percent/NN million/CD dollars/NNS euros/NNS shares/NNS
company/NN people/NNS chief/JJ executive/NN weaker/JJR sales/NNS
carmaker/NN model/NN month/NN analysts/NNS central/JJ bank/NN rates/NNS
trading/NN thin/JJ holiday/NN key/JJ interest/NN rate/NN units/NNS
week/NN oil/NN prices/NNS jobs/NNS inflation/NN governor/NN growth/NN
weak/JJ dealers/NNS market/NN trade/NN figures/NNS due/JJ headquarters/NN
investors/NNS start-up/NN
heavy/JJ flooding/NN temperatures/NNS degrees/NNS storm/NN warning/NN
snow/NN roads/NNS northern/JJ forecasters/NNS dry/JJ weather/NN rest/NN
banks/NNS homes/NNS strong/JJ winds/NNS power/NN hottest/JJS fog/NN
flights/NNS airport/NN several/JJ hours/NNS heatwave/NN
novel/NN film/NN singer/NN museum/NN two-year/JJ renovation/NN role/NN
exhibition/NN paintings/NNS music/NN conductor/NN orchestra/NN tour/NN
book/NN languages/NNS tickets/NNS record/JJ visitors/NNS opera/NN
subtitles/NNS documentary/NN audience/NN prize/NN critics/NNS
performance/NN version/NN
police/NNS bus/NN aid/NN nobody/NN more/JJR details/NNS available/JJ
report/NN spokesman/NN provisional/JJ hospital/NN
soccer/NN results/NNS league/NN matches/NNS tennis/NN beats/VBZ final/NN
cricket/NN wickets/NNS golf/NN leads/VBZ shots/NNS cycling/NN
sack/VBP defeat/NN standings/NNS athletics/NNS relay/NN team/NN sets/VBZ
rugby/NN name/VBP says/VBZ making/VBG progress/NN president/NN visit/VB
election/NN result/NN delayed/VBN pct/NN stocks/NNS close/VBP lower/JJR
shed/VB floods/NNS hit/VBP coast/NN author/NN
positions/NNS standings/NNS other/JJ matches/NNS beat/VBD
news/NN conference/NN budget/NN number/NN ministries/NNS raise/VB
spending/NN schools/NNS hospitals/NNS hope/VBP sign/VB end/NN despite/IN
business/NN leaders/NNS approve/VB ask/VB officials/NNS
are/VBP born/VBN clear/JJ deserved/VBD front/NN held/VBN last/JJ
leading/VBG led/VBN lost/VBD out/RP up/RB without/IN
also/RB among/IN boat/NN brother/NN but/CC could/MD countries/NNS
difficult/JJ director/NN draw/NN films/NNS firms/NNS first-half/JJ
forced/VBD foreign/JJ further/JJ future/NN gave/VBD game/NN group/NN
half/NN halt/VB happy/JJ including/VBG leave/VB metres/NNS nearby/JJ
now/RB opens/VBZ overnight/RB owns/VBZ place/NN plant/NN plants/NNS
point/NN production/NN rescued/VBN resume/VB risen/VBN second/JJ show/VB
smaller/JJR stake/NN start/VB strike/NN teacher/NN than/IN villages/NNS
work/NN writer/NN
"""

LEXICON: dict[str, str] = {}
for _item in _LEX.split():
    _w, _t = _item.rsplit("/", 1)
    LEXICON.setdefault(_w, _t)

PUNCT_POS = {".": ".", ",": ",", '"': '"', "(": "(", ")": ")", ":": ":", ";": ":", "-": ":"}
ENTITY_INNER_POS = {"of": "IN", "the": "DT", "and": "CC", "'s": "POS", "&": "CC", "in": "IN", "from": "IN", "a": "DT"}
UNKNOWN_WORDS: Counter = Counter()


def guess_pos(word: str) -> str:
    if word in PUNCT_POS:
        return PUNCT_POS[word]
    if word == "'s":
        return "POS"
    lw = word.lower()
    if lw in LEXICON:
        return LEXICON[lw]
    if re.fullmatch(r"[\d.,:\-]+", word):
        return "CD"
    UNKNOWN_WORDS[lw] += 1
    if word[0].isupper():
        return "NNP"
    if lw.endswith("ed"):
        return "VBD"
    if lw.endswith("ing"):
        return "VBG"
    if lw.endswith("ly"):
        return "RB"
    if lw.endswith("s") and len(lw) > 3:
        return "NNS"
    return "NN"


NP_TAGS = {"DT", "JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "CD", "PRP", "PRP$", "POS"}
VP_TAGS = {"VB", "VBD", "VBZ", "VBP", "VBN", "VBG", "MD"}


def chunk_tags(tokens: list[tuple[str, str, str]]) -> list[str]:
    """Rough CoNLL-style chunk tags from POS (and entity boundaries)."""
    out: list[str] = []
    prev_cls = None
    for i, (word, pos, ner) in enumerate(tokens):
        nxt = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        prev_pos = tokens[i - 1][1] if i else ""
        prev_ner = tokens[i - 1][2] if i else "O"
        if pos in NP_TAGS:
            cls = "NP"
            if pos == "JJ" and ner == "O" and prev_cls == "VP" and nxt in PUNCT_POS:
                cls = "ADJP"
        elif pos in VP_TAGS:
            cls = "VP"
        elif pos == "TO":
            cls = "VP" if nxt == "VB" else "PP"
        elif pos == "IN":
            cls = "SBAR" if word.lower() in {"that", "while"} else "PP"
        elif pos == "RB":
            cls = "VP" if prev_cls == "VP" and nxt in VP_TAGS else "ADVP"
        elif pos == "RP":
            cls = "PRT"
        elif pos in {"WP", "WDT", "WRB"}:
            cls = "NP" if pos == "WP" else "ADVP"
        else:
            cls = None
        if cls is None:
            out.append("O")
            prev_cls = None
            continue
        begin = cls != prev_cls or cls in {"PP", "ADVP", "PRT", "SBAR"}
        if cls == "NP" and not begin:
            if pos in {"DT", "POS", "PRP$", "PRP"}:
                begin = True
            elif ner.startswith("B-") and prev_ner != "O" and prev_pos != "JJ":
                begin = True  # new entity right after another entity
            elif ner.startswith("B-") and prev_pos == "CD":
                begin = True
            elif pos == "CD" and prev_pos in {"CD", "NNP", "NN", "NNS"}:
                begin = True
        out.append(("B-" if begin else "I-") + cls)
        prev_cls = cls
    return out


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

SLOT_RE = re.compile(r"^\{([A-Z0-9_]+)(?:@(\w+))?\}$")


class Person:
    def __init__(self, first: str, last: str):
        self.first = first
        self.last = last

    def key(self) -> str:
        return f"{self.first} {self.last}"


class Renderer:
    def __init__(self, split: str, rng: random.Random):
        self.split = split
        self.rng = rng

    # -- drawing --------------------------------------------------------
    def _pool(self, category: str) -> list[str]:
        idx = SPLIT_INDEX[self.split]
        if idx and self.rng.random() < OWN_POOL_P[self.split]:
            return POOLS[category][idx]
        return POOLS[category][0]

    def draw(self, category: str):
        if category == "person":
            own = self.rng.random() < OWN_POOL_P[self.split]
            idx = SPLIT_INDEX[self.split] if own else 0
            return Person(self.rng.choice(POOLS["first"][idx]), self.rng.choice(POOLS["last"][idx]))
        return self.rng.choice(self._pool(category))

    @staticmethod
    def render(base, mode: str) -> str:
        if isinstance(base, Person):
            sur = base.last[0].upper() + base.last[1:]
            if mode == "full":
                return base.key()
            if mode == "sur":
                return sur
            if mode == "sur_upper":
                return sur.upper()
            raise ValueError(mode)
        if mode == "plain":
            return base
        if mode == "upper":
            return base.upper()
        if mode == "based":
            return base + "-based"
        if mode == "born":
            return base + "-born"
        raise ValueError(mode)

    # -- non-entity slots -----------------------------------------------
    def literal_slot(self, name: str) -> tuple[str, str]:
        r = self.rng
        if name == "N":
            return str(r.randint(2, 9)), "CD"
        if name == "N2":
            return str(r.randint(11, 95)), "CD"
        if name == "N3":
            return str(r.randint(100, 450)), "CD"
        if name == "G":
            return str(r.choice([0, 0, 1, 1, 1, 2, 2, 3, 4])), "CD"
        if name == "BIG":
            return f"{r.randint(1, 48)},{r.randint(0, 999):03d}", "CD"
        if name == "PCT":
            return f"{r.randint(0, 12)}.{r.randint(1, 9)}", "CD"
        if name == "SCORE":
            b = r.randint(0, 2)
            return f"{b + r.randint(1, 3)}-{b}", "CD"
        if name == "DSCORE":
            g = r.randint(0, 3)
            return f"{g}-{g}", "CD"
        if name == "TSCORE":
            return r.choice(["6-3", "6-4", "7-5", "6-2", "7-6", "6-1", "4-6", "3-6"]), "CD"
        if name == "RANK":
            return f"{r.randint(1, 8)}.", "CD"
        if name == "TIME":
            return f"{r.randint(1, 2)}:{r.randint(0, 59):02d}.{r.randint(0, 99):02d}", "CD"
        if name == "DAY":
            return r.choice(DAYS), "NNP"
        if name == "MONTH":
            return r.choice(MONTHS), "NNP"
        if name == "YEAR":
            return str(r.randint(1968, 2023)), "CD"
        if name == "DATE":
            return f"{r.randint(2021, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}", "CD"
        if name == "AGE":
            return f"{r.randint(17, 39)}-year-old", "NN"
        raise KeyError(name)

    def sentence(self, template: str) -> list[tuple[str, str, str]]:
        for _attempt in range(50):
            toks = self._try(template)
            if toks is not None:
                return toks
        raise RuntimeError(f"could not fill template: {template}")

    def _try(self, template: str):
        bound: dict[str, object] = {}
        used: set[str] = set()
        out: list[tuple[str, str, str]] = []
        for tok in template.split(" "):
            m = SLOT_RE.match(tok)
            if not m:
                if "|" in tok:  # explicit POS for an ambiguous word: word|TAG
                    word, tag = tok.split("|")
                    out.append((word, tag, "O"))
                else:
                    out.append((tok, guess_pos(tok), "O"))
                continue
            name, bind = m.group(1), m.group(2)
            if name not in ENTITY_SLOTS:
                out.append((*self.literal_slot(name), "O"))
                continue
            category, etype, mode = ENTITY_SLOTS[name]
            if bind and bind in bound:
                base = bound[bind]
            else:
                # people are kept apart by surname, everything else by string
                for _ in range(40):
                    base = self.draw(category)
                    key = "last:" + base.last if isinstance(base, Person) else base
                    if key not in used:
                        break
                else:
                    return None
                used.add(key)
                if bind:
                    bound[bind] = base
            words = self.render(base, mode).split(" ")
            for j, w in enumerate(words):
                if mode in {"plain", "upper", "full", "sur", "sur_upper"}:
                    if etype == "MISC" and category in {"nat"}:
                        pos = "JJ"
                    else:
                        pos = ENTITY_INNER_POS.get(w.lower(), "NNP") if j else "NNP"
                        if w == "'s":
                            pos = "POS"
                        if j and w.lower() == "the" and category == "title":
                            pos = "DT"
                    if category == "title" and j == 0 and w in {"The", "A"}:
                        pos = "DT"
                else:  # -based / -born adjectives
                    pos = "JJ"
                out.append((w, pos, ("B-" if j == 0 else "I-") + etype))
        # Capitalise the first word if a template started with a lowercase slot
        w0, p0, n0 = out[0]
        if w0[0].islower():
            out[0] = (w0[0].upper() + w0[1:], p0, n0)
        return out


# ---------------------------------------------------------------------------
# Long sentences (60-90 tokens)
# ---------------------------------------------------------------------------


def long_template(rng: random.Random, kind: int) -> str:
    if kind == 0:
        parts = ["Leading positions after the final round of the {EVENT} :"]
        n = rng.randint(7, 8)
        points = sorted((rng.randint(20, 99) for _ in range(n)), reverse=True)
        for i, pts in enumerate(points, 1):
            parts.append(f"{i}. {{PER}} ( {{COUNTRY}} ) {pts} points ,")
        parts[-1] = parts[-1][:-2] + " ."
        return " ".join(parts)
    if kind == 1:
        parts = ["In other {NAT} league matches on {DAY} ,"]
        games = [
            "{CLUB} beat {CLUB} {SCORE} ,",
            "{CLUB} drew {DSCORE} with {CLUB} ,",
            "{CLUB} lost {SCORE} at home to {CLUB} ,",
            "{CLUB} and {CLUB} drew {DSCORE} ,",
        ]
        for i in range(rng.randint(8, 9)):
            parts.append(games[i % len(games)])
        parts[-1] = "and " + parts[-1][:-2] + " ."
        return " ".join(parts)
    if kind == 3:
        return (
            "The {AGENCY} said on {DAY} that heavy rain and strong winds had "
            "caused flooding in {CITY} , {CITY} and {CITY} , closed roads across "
            "{REGION} , cut|VBD power to {BIG} homes along the {RIVER} and forced "
            "{COMP} and several smaller firms to halt production at plants near "
            "{CITY} , while officials in {COUNTRY} warned that the {EVENT} , due "
            "to start in {CITY} on {DAY} , could be postponed until {MONTH} ."
        )
    return (
        "{PER} , who has led the {PARTY} since {YEAR} , told a news conference "
        "in {CITY} on {DAY} that the government would ask parliament to approve "
        "the budget , cut the number of ministries from {N2} to {N} , raise "
        "spending on schools and hospitals in {REGION} and {REGION} , and open "
        "talks with {COUNTRY} , {COUNTRY} and the {INTL} on a new trade "
        "agreement , despite strong opposition from the {PARTY} and from "
        "business leaders in {CITY} ."
    )


# ---------------------------------------------------------------------------
# Corpus assembly
# ---------------------------------------------------------------------------


def templates_for(topic: str, split: str, head: bool) -> list[tuple[str, float]]:
    key = topic + "_head" if head else topic
    out = []
    for t_topic, held, text in TEMPLATES:
        if head:
            ok = t_topic == key
        else:
            ok = t_topic == key or t_topic == "general"
        if not ok:
            continue
        if held and split == "train":
            continue
        weight = 1.5 if held else 1.0
        if t_topic == "general":
            weight *= 0.4  # shared by every topic, so keep them rarer
        out.append((text, weight))
    return out


def build_split(split: str) -> list[list[list[tuple[str, str, str, str]]]]:
    rng = random.Random(SPLIT_SEEDS[split])
    r = Renderer(split, rng)
    target = TARGET_SIZES[split]
    long_at = set(LONG_AT[split])
    long_kinds = [0, 1, 2] if split == "train" else [3]  # kind 3: held out
    docs: list[list[list[tuple[str, str, str, str]]]] = []
    n_done = 0
    while n_done < target:
        remaining = target - n_done
        n = remaining if remaining <= 15 else rng.randint(5, min(15, remaining - 5))
        topic = rng.choices([t for t, _ in TOPIC_WEIGHTS], [w for _, w in TOPIC_WEIGHTS])[0]
        doc: list[list[tuple[str, str, str, str]]] = []
        plan: list[str] = []
        if rng.random() < 0.6:
            heads = templates_for(topic, split, head=True)
            plan.append(rng.choices([t for t, _ in heads], [w for _, w in heads])[0])
        if rng.random() < 0.6 and len(plan) < n:
            plan.append(DATELINE)
        body = templates_for(topic, split, head=False)
        seen: set[str] = set()
        while len(plan) < n:
            fresh = [(t, w) for t, w in body if t not in seen] or body
            t = rng.choices([t for t, _ in fresh], [w for _, w in fresh])[0]
            plan.append(t)
            seen.add(t)
        for t in plan:
            if n_done in long_at:
                while True:
                    toks = r.sentence(long_template(rng, long_kinds[0]))
                    if 60 <= len(toks) <= 90:
                        break
                long_kinds.pop(0)
            else:
                toks = r.sentence(t)
            chunks = chunk_tags(toks)
            doc.append([(w, p, c, n_) for (w, p, n_), c in zip(toks, chunks)])
            n_done += 1
        docs.append(doc)
    return docs


def serialise(docs) -> str:
    lines: list[str] = []
    for doc in docs:
        lines.append("-DOCSTART- -X- -X- O")
        lines.append("")
        for sent in doc:
            for tok in sent:
                for col in tok:
                    assert col and " " not in col, tok
                lines.append(" ".join(tok))
            lines.append("")
    return "\n".join(lines) + "\n"


def entity_spans(sent) -> list[tuple[str, str]]:
    spans, cur = [], None
    for w, _p, _c, tag in sent:
        if tag.startswith("B-"):
            if cur:
                spans.append(cur)
            cur = (tag[2:], [w])
        elif tag.startswith("I-") and cur:
            cur[1].append(w)
        else:
            if cur:
                spans.append(cur)
            cur = None
    if cur:
        spans.append(cur)
    return [(t, " ".join(ws)) for t, ws in spans]


def stats(all_docs) -> str:
    rows = []
    header = f"{'split':<11}{'docs':>5}{'sents':>7}{'tokens':>8}{'PER':>6}{'ORG':>6}{'LOC':>6}{'MISC':>6}{'multi':>7}"
    rows.append(header)
    train_strings = {s for doc in all_docs["train"] for sent in doc for s in entity_spans(sent)}
    extra = []
    for split, docs in all_docs.items():
        sents = [s for d in docs for s in d]
        ents = [e for s in sents for e in entity_spans(s)]
        c = Counter(t for t, _ in ents)
        multi = sum(1 for _, s in ents if " " in s)
        rows.append(
            f"{split:<11}{len(docs):>5}{len(sents):>7}{sum(map(len, sents)):>8}"
            f"{c['PER']:>6}{c['ORG']:>6}{c['LOC']:>6}{c['MISC']:>6}{multi:>7}"
        )
        if split != "train":
            uniq = set(ents)
            occ_new = sum(1 for e in ents if e not in train_strings)
            uniq_new = sum(1 for e in uniq if e not in train_strings)
            extra.append(
                f"{split}: {100 * occ_new / len(ents):.1f}% of entity mentions and "
                f"{100 * uniq_new / len(uniq):.1f}% of distinct entity strings never occur in train"
            )
    return "\n".join(rows + extra)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--show-unknown", action="store_true", help="list words POS-tagged by fallback rules")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    all_docs = {split: build_split(split) for split in ("train", "validation", "test")}
    sizes = {}
    for split, docs in all_docs.items():
        (args.out / f"{split}.txt").write_text(serialise(docs), encoding="utf-8", newline="\n")
        sizes[split] = sum(len(d) for d in docs)
    meta = {
        "name": "nercourse mini corpus",
        "licence": "CC0-1.0, written for this course",
        "sizes": sizes,
    }
    (args.out / "splits.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8", newline="\n")
    print(stats(all_docs))
    if args.show_unknown:
        print("fallback-tagged words:", dict(sorted(UNKNOWN_WORDS.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
