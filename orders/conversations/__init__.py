"""Conversations with the office (service standard: requests by e-mail or live chat, which staff
close when the service is complete): a thread per order, or before any order a question to an
office that staff may turn into one."""
