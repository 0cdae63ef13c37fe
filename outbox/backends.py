"""The console mailer `make run` uses: what a person reads (who, subject, the text), rather
than Django's MIME source with its quoted-printable æøå."""

from django.core.mail.backends import console


class ReadableConsoleBackend(console.EmailBackend):
    def write_message(self, message):
        self.stream.write(
            f"To: {', '.join(message.to)}\n"
            f"Subject: {message.subject}\n"
            f"From: {message.from_email}\n\n"
            f"{message.body.rstrip()}\n"
        )
        self.stream.write("-" * 79 + "\n")
