"""Parameters of the synthetic city, each with the figure's source.

Every value here is also listed in docs/synth.md (parameter, value, source). Figures are
rounded and applied to a Birmingham-like city; they shape the synthetic data, they are not
estimates of any real place. Change a value here and in the table together.
"""

from __future__ import annotations

import numpy as np

GENERATOR_VERSION = "1.0.0"
MIN_PEOPLE = 1_000
MAX_PEOPLE = 1_100_000

# The observation window: six financial years, 2019/20 to 2024/25, so that linkage sees
# moves, births, deaths and name changes over time.
WINDOW_START = np.datetime64("2019-04-01", "D")
WINDOW_END = np.datetime64("2025-03-31", "D")
WINDOW_DAYS = int((WINDOW_END - WINDOW_START).astype(np.int64)) + 1
WINDOW_YEARS = WINDOW_DAYS / 365.25

# Age pyramid at the window start, shares by five-year band 0-4 ... 85-89, 90+.
# Shape of ONS mid-year population estimates (mid-2021, Birmingham local authority; a young
# city: about 22% under 16 and 13% over 65), rounded to 0.1 percentage points.
AGE_BAND_SHARES = np.array(
    [6.6, 7.0, 7.0, 6.8, 8.2, 7.6, 7.1, 6.8, 6.2, 5.8, 5.8, 5.4, 4.5, 3.5, 3.2, 2.4, 1.6, 1.0, 0.5]
)
AGE_BAND_SHARES = AGE_BAND_SHARES / AGE_BAND_SHARES.sum()
MAX_AGE = 100

# Sex at birth: 105 boys per 100 girls (ONS Births in England and Wales 2021).
MALE_SHARE_AT_BIRTH = 0.512
# Twins: 14 multiple maternities per 1,000 (ONS Birth characteristics in England and Wales 2021).
TWIN_MATERNITY_RATE = 0.014

# Ethnic group, Census 2021 (ONS TS021, Birmingham, rounded). Columns: truth code, share,
# name heritage pool, DfE/CIN census code, NHS ethnic category, police officer-defined (IC) code.
ETHNIC_GROUPS: tuple[tuple[str, float, str, str, str, str], ...] = (
    ("white_british", 0.429, "british", "WBRI", "A", "IC1"),
    ("white_irish", 0.010, "british", "WIRI", "B", "IC1"),
    ("white_other", 0.044, "european", "WOTH", "C", "IC2"),
    ("mixed_white_black_caribbean", 0.022, "british", "MWBC", "D", "IC3"),
    ("mixed_white_black_african", 0.005, "african", "MWBA", "E", "IC3"),
    ("mixed_white_asian", 0.010, "british", "MWAS", "F", "IC4"),
    ("mixed_other", 0.012, "british", "MOTH", "G", "IC1"),
    ("indian", 0.058, "south_asian_indian", "AIND", "H", "IC4"),
    ("pakistani", 0.170, "south_asian_muslim", "APKN", "J", "IC4"),
    ("bangladeshi", 0.041, "south_asian_muslim", "ABAN", "K", "IC4"),
    ("other_asian", 0.032, "south_asian_muslim", "AOTH", "L", "IC4"),
    ("chinese", 0.008, "chinese", "CHNE", "R", "IC5"),
    ("black_caribbean", 0.040, "british", "BCRB", "M", "IC3"),
    ("black_african", 0.058, "african", "BAFR", "N", "IC3"),
    ("black_other", 0.011, "african", "BOTH", "P", "IC3"),
    ("arab", 0.011, "arab", "OARA", "S", "IC6"),
    ("other", 0.035, "european", "OOTH", "S", "IC9"),
)

# Household composition (Census 2021 TS003, England and Wales, adjusted toward Birmingham's
# larger families): shares of households at the window start.
HOUSEHOLD_TYPE_SHARES = {
    "one_person": 0.30,
    "couple_no_children": 0.24,
    "couple_with_children": 0.21,
    "lone_parent": 0.12,
    "house_share": 0.05,
    "other_multi_adult": 0.08,
}
# Dependent children per family (Census 2021 TS003 families with dependent children: about
# 44% one, 38% two, 13% three, 5% four or more).
CHILDREN_PER_FAMILY = {1: 0.44, 2: 0.38, 3: 0.13, 4: 0.04, 5: 0.01}
LONE_PARENT_FEMALE_SHARE = 0.90  # ONS Families and households 2021: about 9 in 10 are mothers
SAME_SEX_COUPLE_SHARE = 0.02  # ONS Families and households 2021: ~1-2% of couple families
MOTHER_AGE_AT_FIRST_BIRTH = (29.0, 5.5)  # ONS Births by parents' characteristics 2021: mean ~29
BIRTH_GAP_YEARS = 1.0  # minimum spacing; plus Poisson(2) years between siblings

# Marriage and names. ONS Marriages in England and Wales 2019: about 20 marriages per 1,000
# unmarried adults a year; 1 in 2 couples are married (Families and households 2021).
MARRIED_SHARE_OF_COUPLES = 0.60
MARRIAGE_RATE_PER_YEAR = 0.04  # of cohabiting couples, so some marry inside the window
# Surname on marriage: most women take the husband's name, some hyphenate, some keep their own
# (survey evidence summarised by YouGov 2016: ~75% take the husband's name).
SURNAME_ON_MARRIAGE = {"take": 0.75, "hyphenate": 0.08, "keep": 0.17}

# Housing tenure of dwellings (English Housing Survey 2021-22 headline: owner occupied 64%,
# private rented 19%, social rented 17%; Birmingham's Census 2021 TS054 has more social
# renting, ~23%). HMOs ~2% of dwellings (MHCLG licensing estimates); temporary accommodation
# ~1% of households in big cities (MHCLG Statutory homelessness live tables, 2023-24).
TENURE_SHARES = {
    "owner_occupied": 0.55,
    "private_rented": 0.20,
    "social_rented": 0.22,
    "hmo": 0.02,
    "temporary_accommodation": 0.01,
}
# Annual move rates by tenure (EHS 2021-22 recent movers: ~1 in 6 private renters moved in the
# last year, ~1 in 20 social renters, ~1 in 30 owners; TA stays average about a year).
MOVE_RATE_PER_YEAR = {
    "owner_occupied": 0.03,
    "private_rented": 0.16,
    "social_rented": 0.05,
    "hmo": 0.25,
    "temporary_accommodation": 0.80,
}
SPARE_PROPERTY_SHARE = 0.12  # vacant stock to move into (EHS: ~3% vacant; headroom for churn)
HOUSEHOLDS_LEAVING_CITY_PER_YEAR = 0.02  # ONS internal migration, large cities ~2-4%/yr
YOUNG_ADULT_LEAVES_HOME = 0.35  # share of 18-22s leaving the parental home within the window
SEPARATION_RATE_PER_YEAR = 0.015  # couple dissolution (ONS divorces 2019 ~ 8 per 1,000 couples)
# No fixed abode: Shelter (2023) counts ~309,000 homeless in England (0.54%), mostly in TA;
# rough sleepers and sofa surfers without an address are a small part of that.
NFA_SHARE_OF_ADULTS = 0.003

# Mortality: roughly Gompertz, doubling every 8 years, 1 per 1,000 at age 40 (ONS National life
# tables 2018-2020, England).
MORTALITY_AT_40 = 0.001
MORTALITY_DOUBLING_YEARS = 8.0
# Births: about 14 per 1,000 population a year (ONS Births 2021, Birmingham ~14.5).
CRUDE_BIRTH_RATE = 0.014

# Latent needs: per-person prevalence among the eligible ages and loading on the household
# adversity factor (Gaussian copula: z = loading*adversity + sqrt(1-loading^2)*noise;
# need present when z is above the (1 - prevalence) quantile).
# Sources: APMS 2014 (common mental disorder 15.7% of adults; moderate/severe ~8%, used here);
# CSEW year ending March 2023 (domestic abuse 5.1% of adults in the last year);
# PHE/OHID alcohol and opiate/crack prevalence (dependent drinkers ~1.2%, OCU ~0.9%);
# Children's Commissioner (2018) Estimating the prevalence of the 'toxic trio': ~17% of
# children live with a parent with at least one of the three;
# NHS Digital MHCYP 2017 (behavioural disorders ~5% of 5-19s);
# DfE SEN in England 2023 (17.3% of pupils have SEN, 4.3% an EHC plan);
# ONS Working and workless households 2023 (13-14% of households workless; higher in big cities);
# StepChange / Money Advice Service (~1 in 10 households in problem debt);
# NHS Digital ASC Activity and Finance 2022-23 (~5% of 65+ receive long-term support).
NEEDS: dict[str, tuple[int, int, float, float]] = {
    # need: (min age, max age, prevalence, adversity loading)
    "domestic_abuse": (16, 100, 0.05, 0.75),
    "mental_ill_health": (16, 100, 0.08, 0.55),
    "substance_misuse": (16, 100, 0.035, 0.75),
    "worklessness": (18, 64, 0.16, 0.65),
    "problem_debt": (18, 100, 0.10, 0.65),
    "housing_insecurity": (16, 100, 0.04, 0.75),
    "conduct_problems": (4, 17, 0.055, 0.55),
    "offending": (10, 100, 0.02, 0.75),
    "send": (4, 17, 0.17, 0.30),
    "care_and_support": (18, 100, 0.012, 0.20),
    "frailty": (65, 100, 0.07, 0.10),
}
# Conduct problems in childhood raise exclusion, offending and NEET (Moffitt et al. 2002;
# Public Health England 2016 "Preventing conduct disorder"); added to the latent score.
CONDUCT_LOADING = {"school_exclusion": 1.2, "offending": 0.9, "neet": 0.9}
SCHOOL_EXCLUSION_PREVALENCE = 0.06  # DfE exclusions 2022-23: ~7% of pupils had a suspension
NEET_PREVALENCE = 0.12  # DfE NEET age 16-24 2023: ~12%

# The household adversity factor is heavy-tailed: a small share of households carry most need
# (Troubled Families evaluation 2016: ~1-2% of families account for a large share of spend).
ADVERSITY_TAIL_DF = 4.0  # Student-t degrees of freedom for the household factor

# Frailty (gamma) of individual event rates: shape < 1 gives the heavy tail of frequent
# attenders (Kings Fund 2019: ~1% of A&E patients account for ~10% of attendances).
EVENT_RATE_GAMMA_SHAPE = 0.6

# Record noise rates (per source registration unless marked per record). Sources: Office for
# National Statistics (2019) "Administrative data quality", NHS Digital PDS data quality notes,
# and record-linkage literature (Christen 2012, "Data Matching"; Winkler 2006): typographical
# error rates of 1-5% per name field, transposed day/month 0.5-2%, missing fields by source.
NOISE = {
    "surname_typo": 0.03,
    "forename_typo": 0.025,
    "dob_day_month_transposed": 0.01,
    "dob_year_typo": 0.005,
    "name_swap": 0.005,
    "nickname": 0.25,  # of people with a nickname, in sources that record known-as names
    "old_surname_after_marriage": 0.30,  # of married women's records in slow-updating sources
    "hyphenated_surname_variant": 0.30,  # hyphenated surnames given as one part only
    "duplicate_registration": 0.03,  # same person registered twice in one source
    "stale_address": 0.10,  # per record after a move: the previous address is kept
    "missing_postcode": 0.03,  # per record
}
