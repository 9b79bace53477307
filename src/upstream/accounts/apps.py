from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "upstream.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
