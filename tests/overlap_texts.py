"""Real proposal texts for the overlap tests: a near-duplicate pair in Vietnamese (one
reworded from the other), and distinct work of the same and of other fields."""

BIOSENSOR = {
    "title": "Nghiên cứu chế tạo cảm biến sinh học phát hiện nhanh vi khuẩn trong thực phẩm",
    "title_en": "Biosensor for rapid detection of bacteria in food",
    "abstract": (
        "Đề tài nghiên cứu chế tạo cảm biến sinh học trên nền điện cực in lụa biến tính bằng "
        "vật liệu nano vàng, dùng kháng thể đặc hiệu để phát hiện nhanh vi khuẩn Salmonella "
        "và E. coli trong thực phẩm tươi sống, thời gian phân tích dưới 30 phút."
    ),
    "keywords": "cảm biến sinh học; vi khuẩn; an toàn thực phẩm",
}
BIOSENSOR_REWORDED = {
    "title": (
        "Chế tạo cảm biến sinh học phát hiện nhanh vi khuẩn Salmonella trong thực phẩm tươi sống"
    ),
    "title_en": "Rapid biosensor detection of Salmonella in fresh food",
    "abstract": (
        "Nghiên cứu chế tạo cảm biến sinh học dùng điện cực in lụa biến tính vật liệu nano vàng "
        "và kháng thể đặc hiệu nhằm phát hiện nhanh vi khuẩn Salmonella, E. coli trong thực "
        "phẩm tươi sống với thời gian phân tích dưới 30 phút."
    ),
    "keywords": "cảm biến sinh học; Salmonella; thực phẩm",
}
GAS_SENSOR = {  # the same field (sensors, nanomaterials), different work
    "title": "Nghiên cứu cảm biến khí dùng vật liệu nano oxit kim loại",
    "title_en": "Metal oxide nanomaterial gas sensors",
    "abstract": (
        "Chế tạo cảm biến khí NO2 và NH3 trên cơ sở vật liệu nano oxit kẽm, ứng dụng giám sát "
        "chất lượng không khí đô thị."
    ),
    "keywords": "cảm biến khí; vật liệu nano",
}
SMART_GRID = {
    "title": "Phát triển hệ thống quản lý lưới điện thông minh dùng học sâu",
    "title_en": "Deep learning for smart grid management",
    "abstract": (
        "Đề tài phát triển mô hình học sâu dự báo phụ tải và tối ưu vận hành lưới điện phân "
        "phối có nguồn năng lượng tái tạo, thử nghiệm tại một công ty điện lực."
    ),
    "keywords": "lưới điện thông minh; học sâu; dự báo phụ tải",
}
RICE_DISEASE = {  # abstracts in English, as many proposals to international panels are
    "title": "Phát hiện sớm bệnh đạo ôn trên lúa bằng ảnh chụp từ thiết bị bay không người lái",
    "title_en": "Early detection of rice blast disease from drone imagery",
    "abstract": (
        "We will build a convolutional neural network that detects rice blast lesions in "
        "multispectral images taken by drones over paddy fields in the Mekong Delta, so that "
        "farmers can spray fungicide early and only where the disease has appeared."
    ),
    "keywords": "rice blast; drone imagery; deep learning; Mekong Delta",
}
RICE_DISEASE_REWORDED = {
    "title": "Ứng dụng thiết bị bay không người lái và học sâu phát hiện bệnh đạo ôn lúa",
    "title_en": "Drone multispectral imagery and deep learning to detect rice blast early",
    "abstract": (
        "The project trains a deep convolutional network to detect rice blast lesions early in "
        "multispectral drone images of paddy fields in the Mekong Delta, so that fungicide is "
        "sprayed early and only on the patches where the disease appears."
    ),
    "keywords": "rice blast; drones; convolutional neural network; Mekong Delta",
}
SHRIMP_FARMING = {  # the same region and language, different work
    "title": "Quan trắc chất lượng nước ao nuôi tôm bằng cảm biến IoT",
    "title_en": "IoT monitoring of water quality in shrimp ponds",
    "abstract": (
        "We will deploy low-cost IoT sensors that measure dissolved oxygen, salinity and pH in "
        "shrimp ponds of the Mekong Delta and warn farmers by SMS before the water turns bad."
    ),
    "keywords": "shrimp farming; IoT; water quality; Mekong Delta",
}
