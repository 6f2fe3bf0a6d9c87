"""Host organisations (tổ chức chủ trì): the register, their officers, and the endorsement of
proposals before the fund decides on them."""
