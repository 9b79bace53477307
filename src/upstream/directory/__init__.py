"""The services directory: the community offer, Open Referral UK (HSDS 3.x) native."""
