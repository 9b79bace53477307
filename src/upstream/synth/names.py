"""Synthetic name lists by heritage, with Zipf-like frequencies, and nicknames.

Lists are ordered most common first; weights fall as 1/rank (Zipf, exponent 1), which is the
shape of ONS baby-name and surname frequency tables. Common names (Smith, Jones, Khan) are
common for a reason, but every combination of names, dates and addresses is random: there are
no real people here. A long tail of rare, made-up surnames (prefix + suffix) gives the rare
names that make linkage interesting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FIRST_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "british": {
        "M": (
            "Oliver James Jack William Thomas George Harry Charlie Daniel Michael David "
            "Robert Christopher Matthew Joshua Samuel Joseph Benjamin Richard Anthony Edward "
            "Alexander Nicholas Andrew Peter Mark Paul Stephen Liam Noah Leo Alfie Jacob "
            "Ethan Lewis Kyle Dean Craig Wayne Kevin Gary Trevor Dennis Leroy Delroy Winston"
        ).split(),
        "F": (
            "Olivia Amelia Emily Sophie Jessica Charlotte Elizabeth Margaret Sarah Rebecca "
            "Hannah Lauren Chloe Grace Ruby Isla Ava Mia Poppy Katherine Jennifer Victoria "
            "Susan Patricia Deborah Karen Julie Tracey Lisa Claire Emma Laura Megan Ellie "
            "Freya Lily Evie Jade Kelly Donna Beverley Marcia Janet Hazel Doreen Renée Zoë"
        ).split(),
    },
    "european": {
        "M": (
            "Jakub Piotr Tomasz Andrei Mihai Marek Pawel Krzysztof Ionut Adrian Lukas "
            "Matteo Marco João José Bogdan Vasile Darius Mateusz Filip Ivan Dmitri Luca"
        ).split(),
        "F": (
            "Anna Maria Agnieszka Katarzyna Ioana Elena Andreea Magdalena Monika Natalia "
            "Julia Zuzanna Alexandra Daria Oana Irina Sofia Giulia Inês Chloé Ewa Olga"
        ).split(),
    },
    "south_asian_muslim": {
        "M": (
            "Muhammad Mohammed Ali Ahmed Hassan Ibrahim Yusuf Bilal Hamza Imran Tariq Zain "
            "Adam Omar Usman Abdullah Rizwan Shahid Kamran Faisal Asif Nadeem Arif Zubair "
            "Rayyan Ayaan Musa Idris Sajid Shabir Abdul Mohammad"
        ).split(),
        "F": (
            "Aisha Fatima Maryam Zainab Amina Khadija Noor Hafsa Sana Ayesha Zara Nadia "
            "Samina Shazia Rukhsana Nasreen Parveen Sadia Hina Iqra Anaya Safiya Eshal "
            "Hajra Rabia Tahira Shabana Farzana Yasmin Ruksana"
        ).split(),
    },
    "south_asian_indian": {
        "M": (
            "Arjun Rohan Amit Rajesh Sanjay Vikram Harjit Gurpreet Jaswinder Manjit Sunil "
            "Anil Deepak Ravi Kiran Harpreet Ajay Nikhil Aarav Dev Rahul Suresh Balvinder"
        ).split(),
        "F": (
            "Priya Anjali Sunita Kavita Harpreet Manpreet Jaspreet Neha Pooja Simran Asha "
            "Meera Kiran Rani Surinder Baljit Divya Anika Saanvi Rupinder Nisha Geeta"
        ).split(),
    },
    "african": {
        "M": (
            "Chinedu Emeka Oluwaseun Tunde Kwame Kofi Abdi Mohamed Yaw Samuel Daniel "
            "Joseph Emmanuel David Ifeanyi Chukwuemeka Femi Ayodele Mahad Liban Tendai Blessing"
        ).split(),
        "F": (
            "Amara Chiamaka Adaeze Ngozi Funmilayo Abena Akosua Hodan Fadumo Ifeoma Precious "
            "Blessing Grace Esther Mercy Favour Zainab Nimco Ayan Folake Yetunde Adwoa"
        ).split(),
    },
    "chinese": {
        "M": "Wei Jun Hao Ming Jian Lei Tao Yong Chen Kai Bo Feng".split(),
        "F": "Mei Li Xiu Ying Hui Jing Fang Yan Lan Xin Qing Ling".split(),
    },
    "arab": {
        "M": "Ahmed Mohammed Khalid Omar Youssef Karim Tariq Samir Hassan Nabil Faris Majid".split(),
        "F": "Fatima Layla Mariam Nour Huda Rania Salma Yasmin Hana Leila Dalia Amira".split(),
    },
}

SURNAMES: dict[str, tuple[str, ...]] = {
    "british": tuple(
        (
            "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts "
            "Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris "
            "Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark "
            "Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker "
            "Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey "
            "Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson "
            "Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason "
            "Campbell Brooks O'Brien O'Connor Fitzgerald Gordon Francis Grant Reid Henry"
        ).split()
    ),
    "european": tuple(
        (
            "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński "
            "Popescu Ionescu Popa Stan Dumitru Constantin Horvath Novak Silva Santos Ferreira "
            "Rossi Russo Müller Schmidt Petrov Ivanova Kazlauskas Balode Berzins"
        ).split()
    ),
    "south_asian_muslim": tuple(
        (
            "Khan Hussain Ahmed Ali Begum Akhtar Iqbal Shah Mahmood Rahman Bibi Butt Aslam "
            "Mirza Qureshi Malik Siddiqui Chaudhry Raza Hanif Rashid Javed Sharif Uddin Miah "
            "Islam Choudhury Hoque Bashir Nawaz Latif Rafiq Sadiq Yaqoob Younis"
        ).split()
    ),
    "south_asian_indian": tuple(
        (
            "Patel Singh Kaur Sharma Kumar Gill Sandhu Sidhu Dhillon Mistry Shah Parmar Bains "
            "Johal Sahota Virdi Chauhan Mehta Joshi Gupta Verma Rai Thind Bassi Atwal"
        ).split()
    ),
    "african": tuple(
        (
            "Okafor Adeyemi Mensah Osei Mohamed Abdi Hassan Okonkwo Adebayo Boateng Asante "
            "Owusu Nwosu Eze Ogunleye Olawale Farah Warsame Ndlovu Moyo Banda Mwangi Kamara"
        ).split()
    ),
    "chinese": tuple("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Lin Wong Chan Cheung".split()),
    "arab": tuple(
        "Al-Sayed Haddad Nasser Khalil Hamdan Saleh Mansour Aziz Darwish Farouk Salem".split()
    ),
}

# Made-up rare surnames: prefix x suffix. Most will be unique or near unique in a small city.
_RARE_PREFIXES = (
    "Ash Brad Cal Dun Fair Gold Hal Kin Lang Mar North Pen Ross Stan Thorn Wal Whit Wood "
    "Black Brook Crom Ell Hart Hol Ing Ket Lud Mab Nor Ock Pil Quen Rad Sel Tarl Ulv Ven "
    "Wex Yar Brom Cheld Dray Esk Fen Glen Hask Ivers Jarr"
).split()
_RARE_SUFFIXES = (
    "ley ton ford well by wick worth ham field more combe den ridge stead thorpe hurst croft wood"
).split()
RARE_SURNAMES = tuple(p + s for p in _RARE_PREFIXES for s in _RARE_SUFFIXES)
RARE_SURNAME_SHARE = 0.12  # share of british-pool people with a tail surname

# Formal name -> nicknames used as "known as" names by some sources.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "William": ("Bill", "Will", "Billy"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Margaret": ("Maggie", "Peggy"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "Richard": ("Rich", "Dick"),
    "Thomas": ("Tom", "Tommy"),
    "Michael": ("Mike", "Mick"),
    "Christopher": ("Chris",),
    "Katherine": ("Kate", "Kathy", "Katie"),
    "Jennifer": ("Jen", "Jenny"),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",),
    "Anthony": ("Tony",),
    "Edward": ("Ed", "Ted", "Eddie"),
    "Alexander": ("Alex",),
    "Samuel": ("Sam",),
    "Joseph": ("Joe",),
    "Benjamin": ("Ben",),
    "Rebecca": ("Becky", "Becca"),
    "Victoria": ("Vicky", "Tori"),
    "Jessica": ("Jess",),
    "Deborah": ("Debbie", "Deb"),
    "Susan": ("Sue", "Susie"),
    "Patricia": ("Pat", "Trish"),
    "Nicholas": ("Nick",),
    "Andrew": ("Andy",),
    "Peter": ("Pete",),
    "Stephen": ("Steve",),
    "Alexandra": ("Alex", "Sasha"),
    "Muhammad": ("Mo",),
    "Mohammed": ("Mo",),
    "Abdullah": ("Abdul",),
    "Oluwaseun": ("Seun",),
    "Chukwuemeka": ("Emeka",),
    "Gurpreet": ("Gary",),
    "Harjit": ("Harry",),
    "Charlotte": ("Charlie", "Lottie"),
    "Samina": ("Sam",),
}


@dataclass(frozen=True)
class NameBook:
    """All names in one vocabulary, so people carry integer name ids, not strings."""

    vocabulary: tuple[str, ...]
    first_by_pool_sex: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]
    surname_by_pool: dict[str, tuple[np.ndarray, np.ndarray]]
    nickname_of: np.ndarray  # vocabulary id -> first nickname id, or -1

    def id_of(self, name: str) -> int:
        return self.vocabulary.index(name)


def _zipf(n: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1)
    return weights / weights.sum()


def build_name_book() -> NameBook:
    """Index every name once and attach Zipf weights per pool."""
    vocabulary: list[str] = []
    index: dict[str, int] = {}

    def ids(names: tuple[str, ...] | list[str]) -> np.ndarray:
        for name in names:
            if name not in index:
                index[name] = len(vocabulary)
                vocabulary.append(name)
        return np.array([index[name] for name in names], dtype=np.int32)

    first = {
        (pool, sex): (ids(names), _zipf(len(names)))
        for pool, by_sex in FIRST_NAMES.items()
        for sex, names in by_sex.items()
    }
    surnames = {pool: _surname_weights(ids(names)) for pool, names in SURNAMES.items()}
    rare = ids(RARE_SURNAMES)
    common_ids, common_w = surnames["british"]
    surnames["british"] = (
        np.concatenate([common_ids, rare]),
        np.concatenate(
            [common_w * (1 - RARE_SURNAME_SHARE), np.full(len(rare), RARE_SURNAME_SHARE / len(rare))]
        ),
    )
    nickname_ids = {formal: ids(list(nicks))[0] for formal, nicks in NICKNAMES.items()}
    nickname_of = np.full(len(vocabulary), -1, dtype=np.int32)
    for formal, nick in nickname_ids.items():
        if formal in index:
            nickname_of[index[formal]] = nick
    return NameBook(tuple(vocabulary), first, surnames, nickname_of)


def _surname_weights(name_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return name_ids, _zipf(len(name_ids))


def draw_names(
    rng: np.random.Generator, book: NameBook, pools: np.ndarray, sexes: np.ndarray, kind: str
) -> np.ndarray:
    """Draw a first name (kind="first", by pool and sex) or surname (by pool) per row."""
    out = np.empty(len(pools), dtype=np.int32)
    for pool in np.unique(pools):
        for sex in ("M", "F") if kind == "first" else ("*",):
            rows = np.flatnonzero((pools == pool) & ((sexes == sex) if kind == "first" else True))
            if rows.size == 0:
                continue
            key = str(pool)
            name_ids, weights = (
                book.first_by_pool_sex[(key, sex)] if kind == "first" else book.surname_by_pool[key]
            )
            out[rows] = rng.choice(name_ids, size=rows.size, p=weights)
    return out
